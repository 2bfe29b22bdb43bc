import { Indicator, VisuallyHidden } from '@mantine/core';
import { type ReactElement, useId } from 'react';
import type { TopBarBadge } from './topBarAction';

export interface TopBarActionBadgeProps {
  badge: TopBarBadge | undefined;
  /** The action's button, told the id of the badge's words for `aria-describedby`. */
  children: (describedBy: string | undefined) => ReactElement;
}

/** An action's count over its icon (red while something is unread), read out after its name. */
export function TopBarActionBadge({ badge, children }: TopBarActionBadgeProps) {
  const descriptionId = useId();
  if (!badge) return children(undefined);
  const shown = badge.count > 0 || badge.marked;
  return (
    <Indicator
      label={badge.count > 0 ? badge.count : undefined}
      size={16}
      offset={6}
      color={badge.marked ? 'red' : 'blue'}
      disabled={!shown}
      data-marked={badge.marked || undefined}
      // The count is read out in words, from the description.
      attributes={{ indicator: { 'aria-hidden': true } }}
      style={{ flexShrink: 0 }}
    >
      {children(descriptionId)}
      <VisuallyHidden id={descriptionId}>{badge.description}</VisuallyHidden>
    </Indicator>
  );
}
