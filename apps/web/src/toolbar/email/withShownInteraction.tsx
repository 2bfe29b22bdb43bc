import type { ReactNode } from 'react';
import { ShowInteraction } from './ShowInteraction';

type Selection = { selectedId: string | undefined; onSelect: (interactionId: string) => void };
type Centre = ((selection: Selection) => ReactNode) | undefined;

/**
 * The interactions area's centre, which also shows an interaction the agent just opened (an
 * email from the queue or New Email) in the script area, once.
 */
export function withShownInteraction(
  centre: Centre,
  wanted: string | undefined,
  onShown: () => void,
): Centre {
  if (!wanted) return centre;
  return (selection) => (
    <>
      <ShowInteraction interactionId={wanted} onSelect={selection.onSelect} onShown={onShown} />
      {centre?.(selection)}
    </>
  );
}
