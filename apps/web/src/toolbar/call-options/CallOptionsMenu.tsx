import { ActionIcon, Menu, Tooltip } from '@mantine/core';
import type { AgentInteraction, Announcement } from '@parley/contract';
import IconDots from '@tabler/icons-react/icons/IconDots';
import IconSpeakerphone from '@tabler/icons-react/icons/IconSpeakerphone';
import { type ReactNode, useState } from 'react';
import { PlayAnnouncementDialog } from './PlayAnnouncementDialog';

export interface CallOptionsMenuProps {
  call: AgentInteraction;
  /** The campaign's announcements; undefined until loaded. */
  announcements: Announcement[] | undefined;
  onSessionExpired: () => void;
}

type OptionDialog = 'announcement';

interface CallOption {
  dialog: OptionDialog;
  label: string;
  icon: ReactNode;
}

/**
 * The live call's Options menu. Play Announcement is offered only when the campaign has
 * announcements (guide section 9); a menu with nothing in it is not shown at all. Convert to
 * Outbound (section 10) is one more option here.
 */
export function CallOptionsMenu({ call, announcements, onSessionExpired }: CallOptionsMenuProps) {
  const [dialog, setDialog] = useState<OptionDialog | undefined>(undefined);
  const options: CallOption[] = [];
  if (announcements && announcements.length > 0) {
    options.push({
      dialog: 'announcement',
      label: 'Play Announcement',
      icon: <IconSpeakerphone size={16} />,
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
            <Menu.Item key={option.dialog} leftSection={option.icon} onClick={() => setDialog(option.dialog)}>
              {option.label}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {dialog === 'announcement' && announcements && (
        <PlayAnnouncementDialog
          callId={call.id}
          announcements={announcements}
          onClose={() => setDialog(undefined)}
          onSessionExpired={onSessionExpired}
        />
      )}
    </>
  );
}
