import { ActionIcon, Tooltip } from '@mantine/core';
import { useOs } from '@mantine/hooks';
import IconLayoutSidebarLeftCollapse from '@tabler/icons-react/icons/IconLayoutSidebarLeftCollapse';
import IconLayoutSidebarLeftExpand from '@tabler/icons-react/icons/IconLayoutSidebarLeftExpand';
import { SIDE_PANEL_ID } from '../side-panel/SidePanel';

export interface SidePanelToggleProps {
  open: boolean;
  onToggle: () => void;
}

export function SidePanelToggle({ open, onToggle }: SidePanelToggleProps) {
  const os = useOs();
  const label = open ? 'Collapse side panel' : 'Expand side panel';
  const shortcut = os === 'macos' ? '⌘B' : 'Ctrl+B';
  return (
    <Tooltip label={`${label} (${shortcut})`} openDelay={400}>
      <ActionIcon
        variant="subtle"
        color="gray"
        size="lg"
        aria-label={label}
        aria-expanded={open}
        aria-controls={SIDE_PANEL_ID}
        onClick={onToggle}
      >
        {open ? <IconLayoutSidebarLeftCollapse size={20} /> : <IconLayoutSidebarLeftExpand size={20} />}
      </ActionIcon>
    </Tooltip>
  );
}
