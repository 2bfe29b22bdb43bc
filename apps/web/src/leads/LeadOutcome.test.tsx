import type { InteractionPanel } from '@parley/contract';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { buildAgentState, buildCall, CALL_ID } from '../testing/agentState';
import { buildLeadInteraction, buildLeadPanel, callBack, interested, wrongNumber } from '../testing/leads';
import { type AreaPart, renderInteractionsArea } from '../testing/renderInteractionsArea';

const TO = '+447700900123';

function mockPanel(overrides: Partial<InteractionPanel> = {}) {
  vi.spyOn(api, 'interactionPanel').mockResolvedValue(
    buildLeadPanel({ wrapCodes: [interested, wrongNumber, callBack], ...overrides }),
  );
  vi.spyOn(api, 'chooseInteractionOutcome').mockResolvedValue();
}

async function chooseOutcome(info: AreaPart, name: string) {
  const user = userEvent.setup();
  await user.click(info.getByRole('combobox', { name: 'Outcome' }));
  await user.click(screen.getByRole('option', { name: new RegExp(`^${name}`) }));
}

const dateTimeField = (info: AreaPart) => info.queryByLabelText('Callback date and time', { exact: false });

describe("a lead's Outcome", () => {
  it('a "Complete Phone Number" outcome carries its icon in the list, and once chosen', async () => {
    mockPanel();
    const area = renderInteractionsArea(buildLeadInteraction({ state: 'wrapping' }));
    const user = userEvent.setup();

    await user.click(await area.info().findByRole('combobox', { name: 'Outcome' }));
    const marked = screen
      .getAllByRole('option')
      .filter((option) => within(option).queryByRole('img', { name: 'Complete Phone Number' }))
      .map((option) => option.querySelector('span')?.textContent);
    expect(marked).toEqual(['Wrong number']);
    // Read out with the outcome's name.
    expect(screen.getByRole('option', { name: 'Wrong number Complete Phone Number' })).toBeTruthy();

    await user.click(screen.getByRole('option', { name: /^Wrong number/ }));
    const select = area.info().getByRole('combobox', { name: 'Outcome' }) as HTMLInputElement;
    expect(select.value).toBe('Wrong number');
    expect(area.info().getAllByRole('img', { name: 'Complete Phone Number' })).toHaveLength(1);

    await chooseOutcome(area.info(), 'Interested');
    expect(area.info().queryByRole('img', { name: 'Complete Phone Number' })).toBeNull();
  });

  it('a callback outcome asks for the date and time (needed) and whether it is a personal callback', async () => {
    mockPanel();
    const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(buildAgentState());
    const area = renderInteractionsArea(
      buildLeadInteraction({ state: 'wrapping', dial: { state: 'answered', to: TO } }),
    );
    await area.info().findByRole('combobox', { name: 'Outcome' });
    expect(dateTimeField(area.info())).toBeNull();

    await chooseOutcome(area.info(), 'Call back');
    const when = dateTimeField(area.info()) as HTMLInputElement;
    expect(when.type).toBe('datetime-local');
    expect(when.required).toBe(true);
    const personal = area.info().getByRole('checkbox', { name: 'Personal callback' }) as HTMLInputElement;
    expect(personal.checked).toBe(false);
    expect((area.card().getByRole('button', { name: 'Wrap Lead' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(when, { target: { value: '2030-01-02T10:30' } });
    await userEvent.setup().click(personal);
    await userEvent.setup().click(area.card().getByRole('button', { name: 'Wrap and continue with Lead' }));
    expect(wrap).toHaveBeenCalledWith(CALL_ID, {
      wrapCodeId: callBack.id,
      callback: { at: new Date('2030-01-02T10:30').toISOString(), personal: true },
      continueWithLead: true,
    });

    // Another outcome: no callback to pick.
    await chooseOutcome(area.info(), 'Interested');
    expect(dateTimeField(area.info())).toBeNull();
  });

  it('wrapped and continued with: the next call on the lead starts with no Outcome and no callback', async () => {
    mockPanel();
    vi.spyOn(api, 'wrapInteraction').mockResolvedValue(buildAgentState());
    const area = renderInteractionsArea(
      buildLeadInteraction({ state: 'wrapping', dial: { state: 'answered', to: TO } }),
    );
    await area.info().findByRole('combobox', { name: 'Outcome' });
    await chooseOutcome(area.info(), 'Call back');
    fireEvent.change(dateTimeField(area.info()) as HTMLElement, { target: { value: '2030-01-02T10:30' } });
    await userEvent.setup().click(area.card().getByRole('button', { name: 'Wrap and continue with Lead' }));

    // The server keeps the lead on the toolbar, presented again for its next number.
    area.rerender(buildLeadInteraction({ state: 'busy' }));
    await waitFor(() =>
      expect((area.info().getByRole('combobox', { name: 'Outcome' }) as HTMLInputElement).value).toBe(''),
    );
    expect(dateTimeField(area.info())).toBeNull();
    await chooseOutcome(area.info(), 'Call back');
    expect((dateTimeField(area.info()) as HTMLInputElement).value).toBe('');
    expect(area.card().getByText('Presented')).toBeTruthy();
    expect((area.numbers().getByRole('button', { name: `Call ${TO}` }) as HTMLButtonElement).disabled).toBe(
      false,
    );
  });

  it('a call without a lead is not asked for a callback, and wraps as before', async () => {
    mockPanel({ lead: null, callType: 'Inbound Call' });
    const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(buildAgentState());
    const area = renderInteractionsArea(buildCall({ state: 'wrapping' }));
    await area.info().findByRole('combobox', { name: 'Outcome' });

    await chooseOutcome(area.info(), 'Call back');
    expect(dateTimeField(area.info())).toBeNull();
    expect(area.card().queryByRole('button', { name: 'Wrap Lead' })).toBeNull();
    await userEvent.setup().click(area.card().getByRole('button', { name: 'Wrap Call' }));
    expect(wrap).toHaveBeenCalledWith(CALL_ID, { wrapCodeId: callBack.id });
  });
});
