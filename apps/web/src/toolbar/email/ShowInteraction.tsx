import { useEffect } from 'react';

export interface ShowInteractionProps {
  /** The interaction to show in the script area (an email just opened). */
  interactionId: string;
  onSelect: (interactionId: string) => void;
  onShown: () => void;
}

/** Shows an interaction the agent just opened, once: rendered in the interactions area, it draws nothing. */
export function ShowInteraction({ interactionId, onSelect, onShown }: ShowInteractionProps) {
  useEffect(() => {
    onSelect(interactionId);
    onShown();
  }, [interactionId, onSelect, onShown]);
  return null;
}
