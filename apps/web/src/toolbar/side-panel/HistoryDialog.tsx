import { Alert, Divider, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { FieldList } from '../interactions/FieldList';

export interface HistoryDialogProps {
  title: string;
  size: 'lg' | 'xl';
  onClose: () => void;
  /** The item's details, as InformationFields. */
  fields: ReactNode;
  /** What the item said (messages, emails); undefined until loaded. */
  body: ReactNode | undefined;
  /** Why the body could not be loaded. */
  error: string | undefined;
  errorTitle: string;
  /** The loading status's name. */
  loadingLabel: string;
  /** Skeletons in the body's shape, shown while it loads. */
  placeholder: ReactNode;
}

/** An opened history item, read-only: its details, then its body once loaded. */
export function HistoryDialog({
  title,
  size,
  onClose,
  fields,
  body,
  error,
  errorTitle,
  loadingLabel,
  placeholder,
}: HistoryDialogProps) {
  return (
    <Modal opened onClose={onClose} title={title} size={size} closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack gap="sm">
        <FieldList>{fields}</FieldList>
        <Divider />
        {body !== undefined ? (
          body
        ) : error ? (
          <Alert role="alert" variant="light" color="red" title={errorTitle}>
            {error}
          </Alert>
        ) : (
          <Stack gap="xs" role="status" aria-busy="true" aria-label={loadingLabel}>
            {placeholder}
          </Stack>
        )}
      </Stack>
    </Modal>
  );
}
