import { Box, Text } from '@mantine/core';
import { ElapsedTime } from '../../common/ElapsedTime';

export interface StatusSummaryProps {
  since: string;
  secondary: string | undefined;
  /** Ids the status button's aria-describedby points at. */
  timeId: string;
  secondaryId: string;
}

/**
 * Beside the status button: the time in the status (or working state), then a second line when
 * there is one. Outside the button, so its name stays what it shows ("Status: On call").
 */
export function StatusSummary({ since, secondary, timeId, secondaryId }: StatusSummaryProps) {
  return (
    <Box miw={0} style={{ flexShrink: 1 }}>
      <ElapsedTime
        id={timeId}
        since={since}
        description="Time in status"
        display="block"
        size="sm"
        fw={500}
        lh={1.25}
      />
      {secondary && (
        <Text id={secondaryId} size="xs" c="dimmed" lh={1.25} maw={200} truncate="end">
          {secondary}
        </Text>
      )}
    </Box>
  );
}
