import type { AgentInteraction } from '@parley/contract';
import { type BoundFunctions, type queries, screen, within } from '@testing-library/react';
import { vi } from 'vitest';
import { InteractionsArea } from '../toolbar/interactions/InteractionsArea';
import { renderWithMantine } from './renderWithMantine';

/**
 * The toolbar's interactions area with one interaction, as the realtime channel reports it; its
 * parts found as the agent finds them: the card, "Interaction information" and "Phone numbers".
 */
export function renderInteractionsArea(interaction: AgentInteraction) {
  const area = (current: AgentInteraction) => (
    <InteractionsArea interactions={[current]} recordingControlsVisible onSessionExpired={vi.fn()} />
  );
  const view = renderWithMantine(area(interaction));
  return {
    card: () => within(screen.getByRole('article', { name: interaction.label })),
    info: () => within(screen.getByRole('region', { name: 'Interaction information' })),
    numbers: () => within(screen.getByRole('region', { name: 'Phone numbers' })),
    /** The lead's numbers, once its panel has loaded. */
    findNumbers: async () => within(await screen.findByRole('region', { name: 'Phone numbers' })),
    rerender: (next: AgentInteraction) => view.rerender(area(next)),
  };
}

/** A part of the area, searched as the agent reads it. */
export type AreaPart = BoundFunctions<typeof queries>;
