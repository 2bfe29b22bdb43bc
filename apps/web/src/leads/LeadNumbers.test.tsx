import { ApiError } from '@parley/client';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { buildAgentState, CALL_ID } from '../testing/agentState';
import {
  buildLead,
  buildLeadInteraction,
  buildLeadNumber,
  buildLeadPanel,
  buildPanelLead,
  MOBILE_ID,
  OFFICE_ID,
} from '../testing/leads';
import { type AreaPart, renderInteractionsArea } from '../testing/renderInteractionsArea';
import { formatAttemptTime } from './formatAttemptTime';

const MOBILE = '+447700900123';
const OFFICE = '+442079460000';
const HOME = '+441632960001';

const callButton = (numbers: AreaPart, number: string) =>
  numbers.getByRole('button', { name: `Call ${number}` }) as HTMLButtonElement;

/** Each number as the agent reads it: its list item's text. */
const numberRows = (numbers: AreaPart) => numbers.getAllByRole('listitem').map((item) => item.textContent);

describe('a presented lead: its phone numbers', () => {
  it('are at the top of the right-hand panel, each with its label, attempts and last outcome', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(
      buildLeadPanel({
        lead: buildPanelLead({
          numbers: [
            buildLeadNumber({
              attempts: 2,
              lastOutcome: 'No answer',
              lastAttemptAt: new Date(2030, 0, 2, 9, 5, 7).toISOString(),
            }),
            buildLeadNumber({ id: OFFICE_ID, label: 'Office', number: OFFICE }),
          ],
        }),
      }),
    );
    const area = renderInteractionsArea(buildLeadInteraction());

    const numbers = await screen.findByRole('region', { name: 'Phone numbers' });
    const info = screen.getByRole('region', { name: 'Interaction information' });
    expect(numbers.compareDocumentPosition(info) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(numberRows(area.numbers())).toEqual([
      `Mobile${MOBILE}2 attempts · No answer · 02/01/2030 09:05:07Call`,
      `Office${OFFICE}Not called yetCall`,
    ]);
    expect(callButton(area.numbers(), MOBILE).disabled).toBe(false);
    expect(callButton(area.numbers(), OFFICE).disabled).toBe(false);
  });

  it('a completed number is marked so and cannot be called', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(
      buildLeadPanel({
        lead: buildPanelLead({
          numbers: [buildLeadNumber({ completed: true, attempts: 1, lastOutcome: 'Wrong number' })],
        }),
      }),
    );
    const area = renderInteractionsArea(buildLeadInteraction());

    const call = callButton(await area.findNumbers(), MOBILE);
    expect(call.disabled).toBe(true);
    // Its Call button says why it is not available.
    expect(document.getElementById(call.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Completed',
    );
    expect(numberRows(area.numbers())).toEqual([`MobileCompleted${MOBILE}1 attempt · Wrong numberCall`]);
  });

  it('a number waiting for its retry time cannot be called before it, and its Call button says until when', async () => {
    const retryAt = new Date(Date.now() + 30 * 60_000);
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(
      buildLeadPanel({
        lead: buildPanelLead({
          numbers: [
            buildLeadNumber({ attempts: 1, lastOutcome: 'No answer', nextCallAt: retryAt.toISOString() }),
            buildLeadNumber({
              id: OFFICE_ID,
              label: 'Office',
              number: OFFICE,
              nextCallAt: '2000-01-01T00:00:00Z',
            }),
          ],
        }),
      }),
    );
    const dial = vi.spyOn(api, 'dialLead');
    const area = renderInteractionsArea(buildLeadInteraction());

    const call = callButton(await area.findNumbers(), MOBILE);
    expect(call.disabled).toBe(true);
    expect(document.getElementById(call.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      `Next call after ${formatAttemptTime(retryAt.toISOString())}`,
    );
    await userEvent.setup().click(call);
    expect(dial).not.toHaveBeenCalled();
    // A retry time already past holds nothing back.
    expect(callButton(area.numbers(), OFFICE).disabled).toBe(false);
    expect(callButton(area.numbers(), OFFICE).hasAttribute('aria-describedby')).toBe(false);
  });

  it('calling a number dials it; while the call is on, no number can be called; attempts are fetched again', async () => {
    const panel = vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildLeadPanel());
    const dial = vi.spyOn(api, 'dialLead').mockResolvedValue(buildAgentState());
    const area = renderInteractionsArea(buildLeadInteraction());

    await userEvent.setup().click((await area.findNumbers()).getByRole('button', { name: `Call ${OFFICE}` }));
    expect(dial).toHaveBeenCalledWith(CALL_ID, OFFICE_ID);

    // The realtime channel reports the dialling; the server counted the attempt.
    panel.mockResolvedValue(
      buildLeadPanel({
        lead: buildPanelLead({
          attempts: 1,
          numbers: [
            buildLeadNumber(),
            buildLeadNumber({ id: OFFICE_ID, label: 'Office', number: OFFICE, attempts: 1 }),
          ],
        }),
      }),
    );
    area.rerender(buildLeadInteraction({ dial: { state: 'dialling', to: OFFICE } }));
    await waitFor(() => expect(numberRows(area.numbers())[1]).toContain('1 attempt'));
    expect(callButton(area.numbers(), MOBILE).disabled).toBe(true);
    expect(callButton(area.numbers(), OFFICE).disabled).toBe(true);

    area.rerender(buildLeadInteraction({ dial: { state: 'answered', to: OFFICE } }));
    expect(callButton(area.numbers(), MOBILE).disabled).toBe(true);

    // Over: wrapping, the lead waits for its wrap before another call.
    area.rerender(buildLeadInteraction({ state: 'wrapping', dial: { state: 'answered', to: OFFICE } }));
    expect(callButton(area.numbers(), MOBILE).disabled).toBe(true);
  });

  it('a number the server will not dial: its message is shown, and the numbers can be called again', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildLeadPanel());
    vi.spyOn(api, 'dialLead').mockRejectedValue(
      new ApiError(
        409,
        'LEAD_NOT_CALLABLE',
        'It is outside calling hours for this lead (21:05 in London)',
        undefined,
      ),
    );
    const area = renderInteractionsArea(buildLeadInteraction());

    await userEvent.setup().click((await area.findNumbers()).getByRole('button', { name: `Call ${MOBILE}` }));
    expect((await area.numbers().findByRole('alert')).textContent).toBe(
      'It is outside calling hours for this lead (21:05 in London)',
    );
    expect(callButton(area.numbers(), MOBILE).disabled).toBe(false);
  });
});

describe('a presented lead: editing its numbers', () => {
  async function renderEditable(editNumbers = true) {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(
      buildLeadPanel({ lead: buildPanelLead({ editNumbers }) }),
    );
    const area = renderInteractionsArea(buildLeadInteraction());
    await area.findNumbers();
    return area;
  }

  const addButton = (numbers: AreaPart) => numbers.getByRole('button', { name: 'Add new number' });
  const numberField = (numbers: AreaPart) =>
    numbers.getByRole('textbox', { name: 'Phone number' }) as HTMLInputElement;

  it('"Add new number" shows when the mouse is over the numbers, and when the keyboard reaches it', async () => {
    const area = await renderEditable();
    const user = userEvent.setup();
    const add = addButton(area.numbers());
    expect(add.style.opacity).toBe('0');

    await user.hover(screen.getByRole('region', { name: 'Phone numbers' }));
    expect(add.style.opacity).toBe('1');
    await user.unhover(screen.getByRole('region', { name: 'Phone numbers' }));
    expect(add.style.opacity).toBe('0');

    for (let i = 0; i < 40 && document.activeElement !== add; i += 1) await user.tab();
    expect(document.activeElement).toBe(add);
    expect(add.style.opacity).toBe('1');
  });

  it('adds a number with its label: the lead as the server answers is listed', async () => {
    const added = buildLead({
      numbers: [...buildLead().numbers, buildLeadNumber({ id: 'n3', label: 'Home', number: HOME })],
    });
    const add = vi.spyOn(api, 'addLeadNumber').mockResolvedValue(added);
    const area = await renderEditable();
    const user = userEvent.setup();

    await user.click(addButton(area.numbers()));
    expect(document.activeElement).toBe(numberField(area.numbers()));
    await user.type(numberField(area.numbers()), '01632 960001');
    await user.type(area.numbers().getByRole('textbox', { name: 'Label' }), 'Home');
    await user.click(area.numbers().getByRole('button', { name: 'Save' }));

    expect(add).toHaveBeenCalledWith(CALL_ID, { number: '01632 960001', label: 'Home' });
    expect(await area.numbers().findByRole('button', { name: `Call ${HOME}` })).toBeTruthy();
    expect(area.numbers().queryByRole('textbox', { name: 'Phone number' })).toBeNull();
    // Back where the agent started.
    expect(document.activeElement).toBe(addButton(area.numbers()));
  });

  it('a click on a number edits it; the tick saves the change', async () => {
    const update = vi.spyOn(api, 'updateLeadNumber').mockResolvedValue(
      buildLead({
        numbers: [buildLeadNumber({ number: '+447700900999' }), buildLead().numbers[1] ?? buildLeadNumber()],
      }),
    );
    const area = await renderEditable();
    const user = userEvent.setup();

    await user.click(area.numbers().getByRole('button', { name: `Edit ${MOBILE}` }));
    const field = numberField(area.numbers());
    expect(field.value).toBe(MOBILE);
    await user.clear(field);
    await user.type(field, '+447700900999{Enter}');

    expect(update).toHaveBeenCalledWith(CALL_ID, MOBILE_ID, { number: '+447700900999', label: 'Mobile' });
    expect(await area.numbers().findByRole('button', { name: 'Call +447700900999' })).toBeTruthy();
    expect(document.activeElement).toBe(area.numbers().getByRole('button', { name: 'Edit +447700900999' }));
  });

  it('the cancel icon (or Escape) leaves the number as it was, and nothing is sent', async () => {
    const update = vi.spyOn(api, 'updateLeadNumber');
    const area = await renderEditable();
    const user = userEvent.setup();

    await user.click(area.numbers().getByRole('button', { name: `Edit ${OFFICE}` }));
    await user.type(numberField(area.numbers()), '99');
    await user.click(area.numbers().getByRole('button', { name: 'Cancel' }));
    expect(area.numbers().queryByRole('textbox', { name: 'Phone number' })).toBeNull();
    expect(area.numbers().getByRole('button', { name: `Call ${OFFICE}` })).toBeTruthy();

    await user.click(area.numbers().getByRole('button', { name: `Edit ${OFFICE}` }));
    await user.type(numberField(area.numbers()), '99{Escape}');
    expect(area.numbers().queryByRole('textbox', { name: 'Phone number' })).toBeNull();
    expect(update).not.toHaveBeenCalled();
  });

  it('a number emptied and ticked is removed', async () => {
    const remove = vi
      .spyOn(api, 'removeLeadNumber')
      .mockResolvedValue(
        buildLead({ numbers: [buildLeadNumber({ id: OFFICE_ID, label: 'Office', number: OFFICE })] }),
      );
    const area = await renderEditable();
    const user = userEvent.setup();

    await user.click(area.numbers().getByRole('button', { name: `Edit ${MOBILE}` }));
    await user.clear(numberField(area.numbers()));
    await user.click(area.numbers().getByRole('button', { name: 'Save' }));

    expect(remove).toHaveBeenCalledWith(CALL_ID, MOBILE_ID);
    await waitFor(() => expect(area.numbers().queryByRole('button', { name: `Call ${MOBILE}` })).toBeNull());
    expect(numberRows(area.numbers())).toEqual([`Office${OFFICE}Not called yetCall`]);
  });

  it("the server's refusal is said beside the field, with what was typed kept", async () => {
    vi.spyOn(api, 'addLeadNumber').mockRejectedValue(
      new ApiError(400, 'NUMBER_INVALID', 'That is not a phone number: it has letters in it', undefined),
    );
    const area = await renderEditable();
    const user = userEvent.setup();

    await user.click(addButton(area.numbers()));
    await user.type(numberField(area.numbers()), '0800 FLOWERS');
    await user.click(area.numbers().getByRole('button', { name: 'Save' }));

    const alert = await area.numbers().findByRole('alert');
    expect(alert.textContent).toBe('That is not a phone number: it has letters in it');
    const field = numberField(area.numbers());
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toContain(alert.parentElement?.id ?? 'none');
    expect(field.value).toBe('0800 FLOWERS');

    // Typing again clears it.
    await user.type(field, 'X');
    expect(area.numbers().queryByRole('alert')).toBeNull();
  });

  it('where the campaign does not allow it, numbers are called but not edited or added', async () => {
    const area = await renderEditable(false);
    expect(area.numbers().queryByRole('button', { name: 'Add new number' })).toBeNull();
    expect(area.numbers().queryByRole('button', { name: `Edit ${MOBILE}` })).toBeNull();
    expect(area.numbers().getByText(MOBILE)).toBeTruthy();
    expect(callButton(area.numbers(), MOBILE).disabled).toBe(false);
  });
});
