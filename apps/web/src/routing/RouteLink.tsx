import { Anchor, type AnchorProps } from '@mantine/core';
import type { ComponentPropsWithoutRef, MouseEvent } from 'react';
import { navigate } from './navigate';

export type RouteLinkProps = AnchorProps &
  Omit<ComponentPropsWithoutRef<'a'>, 'href' | keyof AnchorProps> & {
    to: string;
  };

/** A real link (it opens in a new tab when asked to) that otherwise moves within the app. */
export function RouteLink({ to, onClick, ...others }: RouteLinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || event.button !== 0 || modified) return;
    event.preventDefault();
    navigate(to);
  }

  return <Anchor href={to} onClick={handleClick} {...others} />;
}
