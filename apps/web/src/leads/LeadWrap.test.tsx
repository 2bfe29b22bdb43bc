import { ApiError } from '@parley/client';
import type { AgentInteraction } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { buildAgentState, CALL_ID } from '../testing/agentState';
import { buildLeadInteraction, callBack, interested, wrongNumber } from '../testing/leads';
import { renderWithMantine } from '../testing/renderWithMantine';
import { InteractionCard, type InteractionCardProps } from '../toolbar/interactions/InteractionCard';
import type { CallbackDraft } from './callbackDraft';

const TO = '+447700900123';
const serverState = buildAgentState();

type CardOptions = Partial<Pick<InteractionCardProps, 'wrapCodes' | 'outcome' | 'callback'>>;

function renderCard(interaction: AgentInteraction, options: CardOptions = {}) {
  const card = (current: AgentInteraction, chosen: CardOptions) => (
    <InteractionCard
      interaction={current}
      recordingControlsVisible
      wrapCodes={[interested, wrongNumber, callBack]}
      outcome={null}
      onSessionExpired={vi.fn()}
      {...chosen}
    />
  );
  const view = renderWithMantine(card(interaction, options));
  return {
    card: () => within(screen.getByRole('article', { name: interaction.label })),
    /** The realtime channel's next report, or the agent's next choices in the panel. */
    rerender: (next: AgentInteraction, chosen = options) => view.rerender(card(next, chosen)),
  };
}

type Card = ReturnType<ReturnType<typeof renderCard>['card']>;

const button = (card: Card, name: string) => card.getByRole('button', { name }) as HTMLButtonElement;
const buttonsShown = (card: Card) =>
  card.queryAllByRole('button').map((b) => b.textContent || b.getAttribute('aria-label'));

describe("a presented lead's card", () => {
  it('before any call: "Presented", no Hang Up or call controls, and the two wrap buttons', () => {
    const { card } = renderCard(buildLeadInteraction(), { outcome: interested.id });
    expect(card().getByText('Presented')).toBeTruthy();
    expect(buttonsShown(card())).toEqual(['Wrap Lead', 'Wrap and continue with Lead']);
  });

  it('skipped without a call: "Wrap Lead" ends it, then wraps it with the Outcome, in one step', async () => {
    const calls: string[] = [];
    vi.spyOn(api, 'endInteraction').mockImplementation(async () => {
      calls.push('end');
      return serverState;
    });
    const wrap = vi.spyOn(api, 'wrapInteraction').mockImplementation(async () => {
      calls.push('wrap');
      return serverState;
    });
    const { card } = renderCard(buildLeadInteraction(), { outcome: interested.id });

    await userEvent.setup().click(button(card(), 'Wrap Lead'));
    expect(calls).toEqual(['end', 'wrap']);
    expect(wrap).toHaveBeenCalledWith(CALL_ID, { wrapCodeId: interested.id });
  });

  it('the wrap buttons wait for an Outcome, and say so', () => {
    const { card } = renderCard(buildLeadInteraction({ state: 'wrapping' }));
    const hint = card().getByText('Choose an Outcome before wrapping');
    for (const name of ['Wrap Lead', 'Wrap and continue with Lead']) {
      expect(button(card(), name).disabled).toBe(true);
      expect(button(card(), name).getAttribute('aria-describedby')).toBe(hint.id);
    }
  });

  it('after a call (wrapping): "Wrap and continue with Lead" wraps the call and keeps the lead', async () => {
    const end = vi.spyOn(api, 'endInteraction');
    const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(serverState);
    const { card } = renderCard(
      buildLeadInteraction({ state: 'wrapping', dial: { state: 'answered', to: TO } }),
      {
        outcome: wrongNumber.id,
      },
    );

    expect(card().getByText('Wrapping')).toBeTruthy();
    await userEvent.setup().click(button(card(), 'Wrap and continue with Lead'));
    expect(wrap).toHaveBeenCalledWith(CALL_ID, { wrapCodeId: wrongNumber.id, continueWithLead: true });
    expect(end).not.toHaveBeenCalled();
  });

  it('"Wrap Lead" after a call sends the Outcome alone (the lead is done with)', async () => {
    const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(serverState);
    const { card } = renderCard(buildLeadInteraction({ state: 'wrapping' }), { outcome: interested.id });
    await userEvent.setup().click(button(card(), 'Wrap Lead'));
    expect(wrap).toHaveBeenCalledWith(CALL_ID, { wrapCodeId: interested.id });
  });

  it('while a number is called: Cancel call, no wrap; once answered: the call controls and Hang Up', () => {
    const { card, rerender } = renderCard(buildLeadInteraction({ dial: { state: 'dialling', to: TO } }));
    expect(card().getByText('Calling')).toBeTruthy();
    expect(buttonsShown(card())).toEqual(['Cancel call']);

    rerender(buildLeadInteraction({ dial: { state: 'answered', to: TO } }));
    expect(card().getByText('Talking')).toBeTruthy();
    expect(card().queryByRole('button', { name: 'Wrap Lead' })).toBeNull();
    expect(button(card(), 'Hang Up')).toBeTruthy();
    expect(button(card(), 'Toggle call hold')).toBeTruthy();
  });

  it('a callback Outcome waits for its date and time, then sends it with the wrap', async () => {
    const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(serverState);
    const interaction = buildLeadInteraction({ state: 'wrapping' });
    const { card, rerender } = renderCard(interaction, { outcome: callBack.id });
    const hint = card().getByText('Choose the callback date and time before wrapping');
    expect(button(card(), 'Wrap Lead').disabled).toBe(true);
    expect(button(card(), 'Wrap Lead').getAttribute('aria-describedby')).toBe(hint.id);

    const callback: CallbackDraft = { at: '2030-01-02T10:30', personal: true };
    rerender(interaction, { outcome: callBack.id, callback });
    expect(card().queryByText('Choose the callback date and time before wrapping')).toBeNull();
    await userEvent.setup().click(button(card(), 'Wrap Lead'));
    expect(wrap).toHaveBeenCalledWith(CALL_ID, {
      wrapCodeId: callBack.id,
      callback: { at: new Date('2030-01-02T10:30').toISOString(), personal: true },
    });
  });

  it('an outcome that schedules nothing sends no callback, whatever was picked before', async () => {
    const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(serverState);
    const { card } = renderCard(buildLeadInteraction({ state: 'wrapping' }), {
      outcome: interested.id,
      callback: { at: '2030-01-02T10:30', personal: false },
    });
    await userEvent.setup().click(button(card(), 'Wrap Lead'));
    expect(wrap).toHaveBeenCalledWith(CALL_ID, { wrapCodeId: interested.id });
  });

  it('ended, but the wrap refused: the message stays as the card turns to wrapping; trying again only wraps', async () => {
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(serverState);
    const wrap = vi
      .spyOn(api, 'wrapInteraction')
      .mockRejectedValueOnce(
        new ApiError(400, 'CALLBACK_REQUIRED', 'The callback needs a date and time in the future', undefined),
      )
      .mockResolvedValue(serverState);
    const { card, rerender } = renderCard(buildLeadInteraction(), { outcome: interested.id });
    const user = userEvent.setup();

    await user.click(button(card(), 'Wrap Lead'));
    rerender(buildLeadInteraction({ state: 'wrapping' }));
    expect((await card().findByRole('alert')).textContent).toBe(
      'The callback needs a date and time in the future',
    );

    await user.click(button(card(), 'Wrap Lead'));
    await waitFor(() => expect(wrap).toHaveBeenCalledTimes(2));
    expect(end).toHaveBeenCalledTimes(1);
  });
});

describe('an inbound call converted to outbound onto a lead', () => {
  const converted = (overrides: Partial<AgentInteraction> = {}) =>
    buildLeadInteraction({ callType: undefined, ...overrides });

  it('is a live call: Talking, its call controls and Hang Up, no number to wrap the lead with yet', () => {
    const { card } = renderCard(converted(), { outcome: interested.id });
    expect(card().getByText('Talking')).toBeTruthy();
    expect(card().queryByText('Presented')).toBeNull();
    expect(button(card(), 'Hang Up')).toBeTruthy();
    expect(button(card(), 'Transfer')).toBeTruthy();
    expect(card().queryByRole('button', { name: 'Wrap Lead' })).toBeNull();
  });

  it('once over, is wrapped as a lead: "Wrap Lead" wraps it with the Outcome', async () => {
    const end = vi.spyOn(api, 'endInteraction');
    const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(serverState);
    const { card } = renderCard(converted({ state: 'wrapping' }), { outcome: interested.id });

    await userEvent.setup().click(button(card(), 'Wrap Lead'));
    expect(end).not.toHaveBeenCalled();
    expect(wrap).toHaveBeenCalledWith(CALL_ID, { wrapCodeId: interested.id });
  });
});
