import { ApiError } from '@parley/client';
import type { AgentInteraction, InteractionPanel } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState, buildCall, CALL_ID } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { InteractionsArea } from './InteractionsArea';

const sale = {
  id: '00000000-0000-4000-8000-00000000000a',
  name: 'Sale',
  completesLead: false,
  completesPhoneNumber: false,
  schedulesCallback: false,
};
const noSale = {
  id: '00000000-0000-4000-8000-00000000000b',
  name: 'No sale',
  completesLead: false,
  completesPhoneNumber: false,
  schedulesCallback: false,
};

function buildPanel(overrides: Partial<InteractionPanel> = {}): InteractionPanel {
  return {
    id: CALL_ID,
    kind: 'voice',
    campaignId: '00000000-0000-4000-8000-0000000000ca',
    campaignName: 'Support',
    script: 'Hello',
    callType: 'Inbound Call',
    customerPhone: null,
    platformPhone: null,
    ivrData: null,
    ivrText: null,
    enqueuedAt: new Date().toISOString(),
    acceptedAt: null,
    endedAt: null,
    notes: '',
    transferNotes: '',
    wrapCodes: [sale, noSale],
    wrapCodeId: null,
    lead: null,
    ...overrides,
  };
}

const serverState = buildAgentState();

function renderArea(interaction: AgentInteraction) {
  const view = renderWithMantine(
    <InteractionsArea interactions={[interaction]} recordingControlsVisible onSessionExpired={vi.fn()} />,
  );
  return {
    info: () => within(screen.getByRole('region', { name: 'Interaction information' })),
    card: () => within(screen.getByRole('article', { name: interaction.label })),
    rerender: (next: AgentInteraction) =>
      view.rerender(
        <InteractionsArea interactions={[next]} recordingControlsVisible onSessionExpired={vi.fn()} />,
      ),
  };
}

async function chooseOutcome(info: ReturnType<typeof within>, name: string) {
  const user = userEvent.setup();
  await user.click(info.getByRole('combobox', { name: 'Outcome' }));
  await user.click(screen.getByRole('option', { name }));
}

const outcomeShown = (info: ReturnType<typeof within>) =>
  (info.getByRole('combobox', { name: 'Outcome' }) as HTMLInputElement).value;

function wrapButton(card: ReturnType<typeof within>): HTMLButtonElement {
  return card.getByRole('button', { name: 'Wrap Call' }) as HTMLButtonElement;
}

/** A promise settled by the test, for a request still on its way. */
function deferred() {
  let resolve: () => void = () => {};
  let reject: (e: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InteractionsArea: the Outcome', () => {
  it('is chosen at the bottom of the information section while talking, saved, and wrapped with', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildPanel());
    const choose = vi.spyOn(api, 'chooseInteractionOutcome').mockResolvedValue();
    const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(serverState);
    const area = renderArea(buildCall({ state: 'offered' }));
    await area.info().findByRole('textbox', { name: 'Notes' });
    expect(area.info().queryByRole('combobox', { name: 'Outcome' })).toBeNull();

    area.rerender(buildCall({ state: 'busy' }));
    const outcome = await area.info().findByRole('combobox', { name: 'Outcome' });
    // The last thing in the information section, after the notes.
    const notes = area.info().getByRole('textbox', { name: 'Transfer Notes' });
    expect(notes.compareDocumentPosition(outcome) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(area.card().queryByRole('combobox', { name: 'Outcome' })).toBeNull();

    await chooseOutcome(area.info(), 'No sale');
    expect(choose).toHaveBeenCalledWith(CALL_ID, { wrapCodeId: noSale.id });
    expect(await area.info().findByText('Outcome saved')).toBeTruthy();
    expect(outcomeShown(area.info())).toBe('No sale');

    // Hung up: the choice stays, and Wrap Call is ready.
    area.rerender(buildCall({ state: 'wrapping' }));
    expect(outcomeShown(area.info())).toBe('No sale');
    expect(wrapButton(area.card()).disabled).toBe(false);
    await userEvent.setup().click(wrapButton(area.card()));
    expect(wrap).toHaveBeenCalledWith(CALL_ID, { wrapCodeId: noSale.id });
  });

  it('shows the choice stored with the interaction (after a reload), and Wrap Call is ready', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildPanel({ wrapCodeId: sale.id }));
    const area = renderArea(buildCall({ state: 'wrapping' }));

    await area.info().findByRole('combobox', { name: 'Outcome' });
    expect(outcomeShown(area.info())).toBe('Sale');
    expect(wrapButton(area.card()).disabled).toBe(false);
  });

  it('without a choice, Wrap Call waits for one', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildPanel());
    vi.spyOn(api, 'chooseInteractionOutcome').mockResolvedValue();
    const area = renderArea(buildCall({ state: 'wrapping' }));

    await area.info().findByRole('combobox', { name: 'Outcome' });
    expect(wrapButton(area.card()).disabled).toBe(true);
    expect(area.card().getByText('Choose an Outcome before wrapping')).toBeTruthy();

    await chooseOutcome(area.info(), 'Sale');
    expect(wrapButton(area.card()).disabled).toBe(false);
    expect(area.card().queryByText('Choose an Outcome before wrapping')).toBeNull();
  });

  it('a save that fails is shown clearly; trying again or choosing again saves it', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildPanel());
    const choose = vi
      .spyOn(api, 'chooseInteractionOutcome')
      .mockRejectedValueOnce(new ApiError(409, 'INTERACTION_STATE', 'Not now', undefined))
      .mockRejectedValueOnce(new ApiError(409, 'INTERACTION_STATE', 'Still not', undefined))
      .mockResolvedValue();
    const area = renderArea(buildCall());
    await area.info().findByRole('combobox', { name: 'Outcome' });

    await chooseOutcome(area.info(), 'Sale');
    const alert = await area.info().findByRole('alert');
    expect(alert.textContent).toContain('Outcome not saved: Not now');
    expect(area.info().getByRole('combobox', { name: 'Outcome' }).getAttribute('aria-invalid')).toBe('true');

    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(choose).toHaveBeenLastCalledWith(CALL_ID, { wrapCodeId: sale.id });
    await waitFor(() => expect(area.info().getByRole('alert').textContent).toContain('Still not'));

    await chooseOutcome(area.info(), 'No sale');
    expect(await area.info().findByText('Outcome saved')).toBeTruthy();
    expect(area.info().queryByRole('alert')).toBeNull();
    expect(choose).toHaveBeenLastCalledWith(CALL_ID, { wrapCodeId: noSale.id });
  });

  it('chosen again while the first choice is saving: the later one is saved last and wins', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildPanel());
    const first = deferred();
    const second = deferred();
    const choose = vi
      .spyOn(api, 'chooseInteractionOutcome')
      .mockReturnValueOnce(first.promise)
      .mockReturnValueOnce(second.promise);
    const area = renderArea(buildCall());
    await area.info().findByRole('combobox', { name: 'Outcome' });

    await chooseOutcome(area.info(), 'Sale');
    expect(area.info().getByText('Saving…')).toBeTruthy();
    await chooseOutcome(area.info(), 'No sale');
    expect(choose).toHaveBeenCalledTimes(1); // the second waits for the first
    first.reject(new ApiError(409, 'INTERACTION_STATE', 'Too late', undefined));

    await waitFor(() => expect(choose).toHaveBeenCalledTimes(2));
    expect(choose).toHaveBeenLastCalledWith(CALL_ID, { wrapCodeId: noSale.id });
    // The older choice's answer is not news: the later one is shown, still saving.
    expect(area.info().queryByRole('alert')).toBeNull();
    expect(outcomeShown(area.info())).toBe('No sale');
    expect(area.info().getByText('Saving…')).toBeTruthy();

    second.resolve();
    expect(await area.info().findByText('Outcome saved')).toBeTruthy();
    expect(outcomeShown(area.info())).toBe('No sale');
  });

  it('a campaign without outcomes has no Outcome, and Wrap Call is ready once the call ends', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildPanel({ wrapCodes: [] }));
    const area = renderArea(buildCall({ state: 'wrapping' }));

    await area.info().findByRole('textbox', { name: 'Notes' });
    expect(area.info().queryByRole('combobox', { name: 'Outcome' })).toBeNull();
    expect(wrapButton(area.card()).disabled).toBe(false);
  });
});
