import { Modal, type ModalProps } from '@mantine/core';

export type CallDialogProps = Omit<ModalProps, 'opened' | 'closeButtonProps' | 'styles'>;

/** A dialog over the call card (Transfer, Play Announcement, leave or end): open while shown, named, closable. */
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
