import { ActionIcon, Badge, Menu, Tooltip } from '@mantine/core';
import IconDots from '@tabler/icons-react/icons/IconDots';
import { RouteLink } from '../../routing/RouteLink';
import { TopBarActionBadge } from './TopBarActionBadge';
import type { TopBarAction } from './topBarAction';

export interface TopBarActionsProps {
  actions: TopBarAction[];
  /** How many show as icon buttons, from the first; the rest go in the "More" menu. */
  shown: number;
}

/** The top bar's icon actions, and a "More" menu holding those there is no room for. */
export function TopBarActions({ actions, shown }: TopBarActionsProps) {
  const folded = actions.slice(shown);
  return (
    <>
      {actions.slice(0, shown).map((action) =>
        action.kind === 'link' ? (
          <Tooltip key={action.label} label={action.label} openDelay={400}>
            <ActionIcon
              component={RouteLink}
              to={action.to}
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={action.label}
              underline="never"
              // A link, coloured as the icon buttons beside it rather than as a link in text.
              style={{ flexShrink: 0, color: 'var(--ai-color)' }}
            >
              <action.icon size={20} aria-hidden />
            </ActionIcon>
          </Tooltip>
        ) : (
          <TopBarActionBadge key={action.label} badge={action.badge}>
            {(describedBy) => (
              <Tooltip label={action.label} openDelay={400}>
                <ActionIcon
                  variant={action.pressed ? 'light' : 'subtle'}
                  color={action.pressed ? undefined : 'gray'}
                  size="lg"
                  aria-label={action.label}
                  aria-describedby={describedBy}
                  aria-pressed={action.pressed}
                  onClick={action.onClick}
                  style={{ flexShrink: 0 }}
                >
                  <action.icon size={20} aria-hidden />
                </ActionIcon>
              </Tooltip>
            )}
          </TopBarActionBadge>
        ),
      )}
      {folded.length > 0 && (
        <Menu position="bottom-end" width={220} shadow="md">
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" size="lg" aria-label="More" style={{ flexShrink: 0 }}>
              <IconDots size={20} aria-hidden />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            {folded.map((action) =>
              action.kind === 'link' ? (
                <Menu.Item
                  key={action.label}
                  component={RouteLink}
                  to={action.to}
                  underline="never"
                  c="inherit"
                  leftSection={<action.icon size={16} aria-hidden />}
                >
                  {action.label}
                </Menu.Item>
              ) : (
                <Menu.Item
                  key={action.label}
                  leftSection={<action.icon size={16} aria-hidden />}
                  rightSection={
                    action.badge && action.badge.count > 0 ? (
                      <Badge size="sm" color={action.badge.marked ? 'red' : 'blue'} aria-hidden>
                        {action.badge.count}
                      </Badge>
                    ) : undefined
                  }
                  onClick={action.onClick}
                >
                  {action.label}
                </Menu.Item>
              ),
            )}
          </Menu.Dropdown>
        </Menu>
      )}
    </>
  );
}
