import { Group, Text, ThemeIcon } from '@mantine/core';
import type { Assignments } from '@parley/contract';
import IconUsersGroup from '@tabler/icons-react/icons/IconUsersGroup';
import { SidePanelSection } from './SidePanelSection';

export interface TeamListProps {
  teams: Assignments['teams'];
}

export function TeamList({ teams }: TeamListProps) {
  return (
    <SidePanelSection title="My teams" count={teams.length} emptyText="You are not in a team yet.">
      {teams.map((team) => (
        <Group component="li" key={team.id} gap="xs" wrap="nowrap" px={4} py={4}>
          <ThemeIcon size="sm" variant="light" color="gray" aria-hidden>
            <IconUsersGroup size={14} />
          </ThemeIcon>
          <Text size="sm" truncate="end">
            {team.name}
          </Text>
        </Group>
      ))}
    </SidePanelSection>
  );
}
