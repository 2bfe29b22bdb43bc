import { ActionIcon, Menu, Tooltip } from '@mantine/core';
import type { AgentInteraction, Announcement } from '@parley/contract';
import IconDots from '@tabler/icons-react/icons/IconDots';
import IconPhoneOutgoing from '@tabler/icons-react/icons/IconPhoneOutgoing';
import IconSpeakerphone from '@tabler/icons-react/icons/IconSpeakerphone';
import { type ReactNode, useState } from 'react';
import { PlayAnnouncementDialog } from './PlayAnnouncementDialog';

export interface CallOptionsMenuProps {
  call: AgentInteraction;
  /** The campaign's announcements; undefined until loaded. */
  announcements: Announcement[] | undefined;
  /** Opens Convert to Outbound (shared with the Transfer dialog); undefined where the call cannot be. */
  onConvertToOutbound?: (() => void) | undefined;
  onSessionExpired: () => void;
}

interface CallOption {
  label: string;
  icon: ReactNode;
  onClick: () => void;
}

/**
 * The live call's Options menu. Play Announcement is offered only when the campaign has
 * announcements (guide section 9), Convert to Outbound on a live inbound call (section 10); a
 * menu with nothing in it is not shown at all.
 */
export function CallOptionsMenu({
  call,
  announcements,
  onConvertToOutbound,
  onSessionExpired,
}: CallOptionsMenuProps) {
  const [playing, setPlaying] = useState(false);
  const options: CallOption[] = [];
  if (announcements && announcements.length > 0) {
    options.push({
      label: 'Play Announcement',
      icon: <IconSpeakerphone size={16} />,
      onClick: () => setPlaying(true),
    });
  }
  if (onConvertToOutbound) {
    options.push({
      label: 'Convert to Outbound',
      icon: <IconPhoneOutgoing size={16} />,
      onClick: onConvertToOutbound,
    });
  }
  if (options.length === 0) return null;

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Tooltip label="Options">
            <ActionIcon size="lg" variant="filled" color="gray" aria-label="Options">
              <IconDots size={20} />
            </ActionIcon>
          </Tooltip>
        </Menu.Target>
        <Menu.Dropdown>
          {options.map((option) => (
            <Menu.Item key={option.label} leftSection={option.icon} onClick={option.onClick}>
              {option.label}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {playing && announcements && (
        <PlayAnnouncementDialog
          callId={call.id}
          announcements={announcements}
          onClose={() => setPlaying(false)}
          onSessionExpired={onSessionExpired}
        />
      )}
    </>
  );
}
