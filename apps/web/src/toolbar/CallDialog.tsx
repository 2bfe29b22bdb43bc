import { Modal, type ModalProps } from '@mantine/core';

export type CallDialogProps = Omit<ModalProps, 'opened' | 'closeButtonProps' | 'styles'>;

/**
 * A dialog about a call (Transfer, Play Announcement, leave or end, Dial pad; and the top bar's
 * Manual Call and Agent Call): open while shown, named, closable.
 */
export function CallDialog(props: CallDialogProps) {
  return (
    <Modal
      opened
      closeButtonProps={{ 'aria-label': 'Close' }}
      styles={{ title: { fontWeight: 700 } }}
      {...props}
    />
  );
}
