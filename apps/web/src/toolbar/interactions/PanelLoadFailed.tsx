import { Alert, Button } from '@mantine/core';

export interface PanelLoadFailedProps {
  error: string;
  onRetry: () => void;
}

/** The script or information could not be fetched: why, and a way to try again. */
export function PanelLoadFailed({ error, onRetry }: PanelLoadFailedProps) {
  return (
    <Alert role="alert" variant="light" color="red" py="xs" title="Not loaded">
      {error}
      <Button display="block" mt="xs" size="compact-sm" variant="light" color="red" onClick={onRetry}>
        Try again
      </Button>
    </Alert>
  );
}
