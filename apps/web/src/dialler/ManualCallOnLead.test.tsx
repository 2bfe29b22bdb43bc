import { ApiError } from '@parley/client';
import type { AgentInteraction, AgentStatus } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { presentedLead } from '../leads/leadCall';
import { buildAgentState, buildCall, CALL_ID } from '../testing/agentState';
import { buildLeadInteraction } from '../testing/leads';
import { renderWithMantine } from '../testing/renderWithMantine';
import { TopBarActions } from '../toolbar/top-bar/TopBarActions';
import { DiallerDialog } from './DiallerDialog';
import { PAUSE_RULE } from './PauseRuleNotice';
import { useDialler } from './useDialler';

const available: AgentStatus = { kind: 'available' };

/** The top bar's Manual Call and its dialog, wired as the toolbar wires them to the agent's interactions. */
function TopBarWithDialler({ interactions }: { interactions: AgentInteraction[] }) {
  const dialler = useDialler();
  return (
    <>
      <TopBarActions actions={dialler.actions} shown={dialler.actions.length} />
      <DiallerDialog
        open={dialler.open}
        status={available}
        lead={presentedLead(interactions)}
        onClose={dialler.close}
        onSessionExpired={vi.fn()}
      />
    </>
  );
}

const user = () => userEvent.setup();

async function openManualCall(interactions: AgentInteraction[]) {
  renderWithMantine(<TopBarWithDialler interactions={interactions} />);
  await user().click(screen.getByRole('button', { name: 'Manual Call' }));
  return within(screen.getByRole('dialog', { name: 'Manual Call' }));
}

type Dialog = Awaited<ReturnType<typeof openManualCall>>;

const phoneBox = (dialog: Dialog) => dialog.getByRole('textbox', { name: 'Phone number' });
const callButton = (dialog: Dialog) =>
  dialog.getByRole('button', { name: 'Call number' }) as HTMLButtonElement;

describe('Manual Call on a presented preview lead (G5)', () => {
  it("the lead's campaign is set and cannot be changed; no pause needed; Call number dials on the lead", async () => {
    const dialCampaigns = vi.spyOn(api, 'dialCampaigns').mockResolvedValue([]);
    const placeCall = vi.spyOn(api, 'placeCall');
    const dialLeadNumber = vi.spyOn(api, 'dialLeadNumber').mockResolvedValue(buildAgentState());
    const dialog = await openManualCall([buildLeadInteraction()]);

    expect(dialog.getByText('A Manual Call on the lead Ann Lee')).toBeTruthy();
    const campaign = (await dialog.findByRole('combobox', { name: 'Campaign' })) as HTMLInputElement;
    await waitFor(() => expect(campaign.value).toBe('Renewals'));
    expect(campaign.disabled).toBe(true);
    // Available, as an agent working leads is: nothing asks for a pause.
    expect(dialog.queryByText(PAUSE_RULE)).toBeNull();

    await user().type(phoneBox(dialog), '020 7946 0001');
    await user().click(callButton(dialog));

    expect(dialLeadNumber).toHaveBeenCalledWith(CALL_ID, '020 7946 0001');
    expect(placeCall).not.toHaveBeenCalled();
    expect(dialCampaigns).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Manual Call' })).toBeNull());
  });

  it("a refusal (the calling rules, the dial plan) shows the server's message, with the number kept", async () => {
    const message = 'It is outside calling hours for this lead (21:05 in London)';
    vi.spyOn(api, 'dialLeadNumber').mockRejectedValue(
      new ApiError(409, 'LEAD_NOT_CALLABLE', message, undefined),
    );
    const dialog = await openManualCall([buildLeadInteraction()]);
    await waitFor(() => expect(callButton(dialog).disabled).toBe(true));
    await user().type(phoneBox(dialog), '02079460001{Enter}');

    expect((await dialog.findByRole('alert')).textContent).toBe(message);
    expect(screen.getByRole('dialog', { name: 'Manual Call' })).toBeTruthy();
    expect((phoneBox(dialog) as HTMLInputElement).value).toBe('02079460001');
  });

  it('once a call is made on the lead, or with no lead, it is the usual Manual Call (pause first)', async () => {
    vi.spyOn(api, 'dialCampaigns').mockResolvedValue([
      { id: '00000000-0000-4000-8000-0000000000c5', name: 'Sales' },
    ]);
    const dialled = buildLeadInteraction({ dial: { state: 'failed', to: '+447700900123' } });
    const dialog = await openManualCall([dialled]);
    expect(dialog.getByRole('note').textContent).toBe(PAUSE_RULE);
    expect(dialog.queryByText(/A Manual Call on the lead/)).toBeNull();
    const campaign = (await dialog.findByRole('combobox', { name: 'Campaign' })) as HTMLInputElement;
    await waitFor(() => expect(campaign.value).toBe('Sales'));
    expect(campaign.disabled).toBe(false);

    expect(presentedLead([buildCall()])).toBeUndefined();
    expect(presentedLead([buildLeadInteraction({ state: 'wrapping' })])).toBeUndefined();
  });
});
