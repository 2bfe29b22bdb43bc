import { ApiError } from '@parley/client';
import type { AgentInteraction, ConvertCampaign, LeadSummary } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState, buildCall, CALL_ID } from '../../testing/agentState';
import { buildLeadInteraction, LEAD_ID } from '../../testing/leads';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { InteractionCard } from '../interactions/InteractionCard';
import { CONVERT_NOT_AVAILABLE } from './ConvertToOutboundDialog';

const renewals: ConvertCampaign = { id: '00000000-0000-4000-8000-0000000003c1', name: 'Renewals' };
const winBack: ConvertCampaign = { id: '00000000-0000-4000-8000-0000000003c2', name: 'Win-back' };
const CALLER = '+61 2 9876 5432';

function buildSummary(overrides: Partial<LeadSummary> = {}): LeadSummary {
  return {
    id: LEAD_ID,
    campaignId: renewals.id,
    campaignName: 'Renewals',
    label: 'Ann Lee',
    numbers: ['+61298765432', '+61412345678'],
    fields: { Name: 'Ann Lee' },
    lastOutcome: 'No answer',
    callbackAt: null,
    done: false,
    taken: false,
    ...overrides,
  };
}
const ann = buildSummary();
const bob = buildSummary({
  id: '00000000-0000-4000-8000-0000000001eb',
  label: 'Bob Ray',
  numbers: ['+61298765432'],
  campaignId: winBack.id,
  campaignName: 'Win-back',
  lastOutcome: 'New Record',
  taken: true,
});

type Within = ReturnType<typeof within>;
const user = () => userEvent.setup();

function renderCall(call: AgentInteraction = buildCall(), customerPhone: string | null = CALLER) {
  renderWithMantine(
    <InteractionCard
      interaction={call}
      recordingControlsVisible
      customerPhone={customerPhone}
      announcements={[]}
      wrapCodes={[]}
      outcome={null}
      onSessionExpired={vi.fn()}
    />,
  );
  return within(screen.getByRole('article', { name: call.label }));
}

async function optionItems(card: Within): Promise<string[]> {
  const options = card.queryByRole('button', { name: 'Options' });
  if (!options) return [];
  await user().click(options);
  return screen.getAllByRole('menuitem').map((item) => item.textContent ?? '');
}

/** Opens Convert to Outbound from the call's Options menu. */
async function openConvert(card: Within): Promise<Within> {
  await user().click(card.getByRole('button', { name: 'Options' }));
  await user().click(screen.getByRole('menuitem', { name: 'Convert to Outbound' }));
  return within(screen.getByRole('dialog', { name: 'Convert to Outbound' }));
}

const phoneBox = (dialog: Within) =>
  dialog.getByRole('textbox', { name: 'Phone number' }) as HTMLInputElement;
const button = (dialog: Within, name: string) => dialog.getByRole('button', { name }) as HTMLButtonElement;

async function campaignSelect(dialog: Within): Promise<HTMLInputElement> {
  const select = (await dialog.findByRole('combobox', { name: 'Campaign' })) as HTMLInputElement;
  await waitFor(() => expect(select.disabled).toBe(false));
  return select;
}

describe('Convert to Outbound: where it is offered', () => {
  it("in a live inbound call's Options menu, not on a placed call nor a lead's interaction", async () => {
    expect(await optionItems(renderCall(buildCall()))).toEqual(['Convert to Outbound']);

    for (const call of [
      buildCall({ id: '00000000-0000-4000-8000-0000000000d1', label: 'Placed', callType: 'manual' }),
      buildLeadInteraction({
        id: '00000000-0000-4000-8000-0000000000d2',
        dial: { state: 'answered', to: CALLER },
      }),
      buildLeadInteraction({
        id: '00000000-0000-4000-8000-0000000000d3',
        label: 'Converted',
        callType: undefined,
      }),
    ]) {
      expect(await optionItems(renderCall(call))).toEqual([]);
    }
  });

  it("the Transfer dialog's Convert to Outbound opens the same dialog in its place", async () => {
    vi.spyOn(api, 'convertCampaigns').mockResolvedValue([renewals]);
    const card = renderCall();
    await user().click(card.getByRole('button', { name: 'Transfer' }));
    const transfer = within(screen.getByRole('dialog', { name: 'Transfer' }));
    await user().click(transfer.getByRole('combobox', { name: 'Transfer Type' }));
    await user().click(screen.getByRole('option', { name: 'Convert to Outbound' }));

    const dialog = within(screen.getByRole('dialog', { name: 'Convert to Outbound' }));
    expect(screen.queryByRole('dialog', { name: 'Transfer' })).toBeNull();
    expect(phoneBox(dialog).value).toBe(CALLER);
  });

  it("a placed call's Transfer Types have no Convert to Outbound", async () => {
    const card = renderCall(buildCall({ callType: 'manual' }));
    await user().click(card.getByRole('button', { name: 'Transfer' }));
    await user().click(screen.getByRole('combobox', { name: 'Transfer Type' }));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Agent',
      'Contact',
      'Number',
      'Workflow',
    ]);
  });
});

describe('Convert to Outbound: the dialog', () => {
  it("searches by the caller's number and a campaign, lists the leads, and converts the call to the one selected", async () => {
    vi.spyOn(api, 'convertCampaigns').mockResolvedValue([renewals, winBack]);
    const search = vi.spyOn(api, 'convertLeads').mockResolvedValue([ann, bob]);
    const convert = vi.spyOn(api, 'convertCall').mockResolvedValue(buildAgentState());
    const dialog = await openConvert(renderCall());

    expect(phoneBox(dialog).value).toBe(CALLER);
    const campaign = await campaignSelect(dialog);
    await user().click(campaign);
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Renewals', 'Win-back']);
    await user().click(screen.getByRole('option', { name: 'Renewals' }));
    await user().click(button(dialog, 'Search Leads'));
    expect(search).toHaveBeenCalledWith(CALL_ID, CALLER, renewals.id);

    const found = within(await dialog.findByRole('radiogroup', { name: 'Leads found' }));
    const annChoice = found.getByRole('radio', { name: 'Ann Lee' }) as HTMLInputElement;
    expect(annChoice.getAttribute('aria-describedby')).toBeTruthy();
    expect(found.getByText('+61298765432, +61412345678')).toBeTruthy();
    expect(found.getByText('Renewals · Last Outcome: No answer')).toBeTruthy();
    // Another agent works Bob's lead: it is listed, and says why it cannot be chosen.
    expect((found.getByRole('radio', { name: 'Bob Ray' }) as HTMLInputElement).disabled).toBe(true);
    expect(found.getByText('Another agent is working this lead')).toBeTruthy();

    expect(button(dialog, 'Convert').disabled).toBe(true);
    await user().click(annChoice);
    await user().click(button(dialog, 'Convert'));
    expect(convert).toHaveBeenCalledWith(CALL_ID, ann.id);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Convert to Outbound' })).toBeNull());
  });

  it('with one campaign offered, searches in it; a number typed replaces one that is not a number', async () => {
    vi.spyOn(api, 'convertCampaigns').mockResolvedValue([renewals]);
    const search = vi.spyOn(api, 'convertLeads').mockResolvedValue([]);
    const dialog = await openConvert(renderCall(buildCall(), 'Anonymous'));

    expect(phoneBox(dialog).value).toBe('');
    expect((await campaignSelect(dialog)).value).toBe('Renewals');
    expect(button(dialog, 'Search Leads').disabled).toBe(true);
    await user().type(phoneBox(dialog), '0298765432{Enter}');

    expect(search).toHaveBeenCalledWith(CALL_ID, '0298765432', renewals.id);
    expect((await dialog.findByRole('status')).textContent).toBe('No leads found');
    expect(button(dialog, 'Convert').disabled).toBe(true);
  });

  it('says when the workspace offers no outbound campaign to convert to', async () => {
    vi.spyOn(api, 'convertCampaigns').mockResolvedValue([]);
    const dialog = await openConvert(renderCall());
    expect(await dialog.findByText(CONVERT_NOT_AVAILABLE)).toBeTruthy();
    expect(dialog.queryByRole('button', { name: 'Search Leads' })).toBeNull();
    expect(dialog.queryByRole('button', { name: 'Convert' })).toBeNull();
  });

  it("a refusal (another agent took the lead meanwhile) shows the server's message; the dialog stays", async () => {
    vi.spyOn(api, 'convertCampaigns').mockResolvedValue([renewals]);
    vi.spyOn(api, 'convertLeads').mockResolvedValue([ann]);
    vi.spyOn(api, 'convertCall').mockRejectedValue(
      new ApiError(409, 'LEAD_TAKEN', 'Another agent is working this lead', undefined),
    );
    const dialog = await openConvert(renderCall());
    await campaignSelect(dialog);
    await user().click(button(dialog, 'Search Leads'));
    await user().click(await dialog.findByRole('radio', { name: 'Ann Lee' }));
    await user().click(button(dialog, 'Convert'));

    expect((await dialog.findByRole('alert')).textContent).toBe('Another agent is working this lead');
    expect(screen.getByRole('dialog', { name: 'Convert to Outbound' })).toBeTruthy();
    expect(button(dialog, 'Convert').disabled).toBe(false);
  });
});
