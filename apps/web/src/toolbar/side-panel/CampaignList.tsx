import { Group, Stack, Text, ThemeIcon } from '@mantine/core';
import type { Assignments } from '@parley/contract';
import { campaignKinds } from './campaignKinds';
import { SidePanelSection } from './SidePanelSection';

export interface CampaignListProps {
  campaigns: Assignments['campaigns'];
}

export function CampaignList({ campaigns }: CampaignListProps) {
  return (
    <SidePanelSection
      title="My campaigns"
      count={campaigns.length}
      emptyText="No campaigns are assigned to your teams yet."
    >
      {campaigns.map((campaign) => {
        const kind = campaignKinds[campaign.kind];
        return (
          <Group component="li" key={campaign.id} gap="xs" wrap="nowrap" px={4} py={4}>
            <ThemeIcon size="sm" variant="light" color={kind.color} aria-hidden>
              <kind.Icon size={14} />
            </ThemeIcon>
            <Stack gap={0} miw={0}>
              <Text size="sm" truncate="end">
                {campaign.name}
              </Text>
              <Text size="xs" c="dimmed">
                {kind.label}
              </Text>
            </Stack>
          </Group>
        );
      })}
    </SidePanelSection>
  );
}
