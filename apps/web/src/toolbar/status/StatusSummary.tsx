import { Box, Group, Text } from '@mantine/core';
import { ElapsedTime } from '../../common/ElapsedTime';

export interface StatusSummaryProps {
  label: string;
  since: string;
  secondary: string | undefined;
  /** Ids for the status button's aria-describedby. */
  timeId: string;
  secondaryId: string;
}

/** Inside the status button: the status and the time in it, then a second line when there is one. */
export function StatusSummary({ label, since, secondary, timeId, secondaryId }: StatusSummaryProps) {
  return (
    <Box component="span" display="block" ta="left" miw={0}>
      <Group component="span" gap={8} wrap="nowrap">
        <Text component="span" size="sm" fw={600} lh={1.25} truncate="end" miw="2.5rem">
          {label}
        </Text>
        <ElapsedTime
          id={timeId}
          since={since}
          description="Time in status"
          size="xs"
          c="dimmed"
          lh={1.25}
          style={{ flexShrink: 0 }}
        />
      </Group>
      {secondary && (
        <Text
          id={secondaryId}
          component="span"
          display="block"
          size="xs"
          c="dimmed"
          lh={1.25}
          maw={220}
          truncate="end"
        >
          {secondary}
        </Text>
      )}
    </Box>
  );
}
