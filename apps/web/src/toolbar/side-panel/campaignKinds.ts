import type { MantineColor } from '@mantine/core';
import type { CampaignKind } from '@parley/contract';
import IconMail from '@tabler/icons-react/icons/IconMail';
import IconMessages from '@tabler/icons-react/icons/IconMessages';
import IconPhoneCall from '@tabler/icons-react/icons/IconPhoneCall';
import IconPhoneIncoming from '@tabler/icons-react/icons/IconPhoneIncoming';
import IconPhoneOutgoing from '@tabler/icons-react/icons/IconPhoneOutgoing';
import type { ComponentType } from 'react';

export interface CampaignKindInfo {
  label: string;
  color: MantineColor;
  Icon: ComponentType<{ size?: number; stroke?: number }>;
}

/** How each kind of campaign is named and drawn in the toolbar. */
export const campaignKinds: Record<CampaignKind, CampaignKindInfo> = {
  inbound_voice: { label: 'Inbound voice', color: 'teal', Icon: IconPhoneIncoming },
  outbound_preview: { label: 'Outbound preview', color: 'blue', Icon: IconPhoneOutgoing },
  outbound_predictive: { label: 'Outbound predictive', color: 'violet', Icon: IconPhoneCall },
  chat: { label: 'Chat', color: 'cyan', Icon: IconMessages },
  email: { label: 'Email', color: 'grape', Icon: IconMail },
};
