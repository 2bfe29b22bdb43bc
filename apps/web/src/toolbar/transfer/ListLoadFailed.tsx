import { Alert } from '@mantine/core';

/** A list of destinations that could not be fetched: why, where the list would be. */
export function ListLoadFailed({ what, error }: { what: string; error: string }) {
  return (
    <Alert role="alert" variant="light" color="red" py="xs" title={`Could not load ${what}`}>
      {error}
    </Alert>
  );
}
