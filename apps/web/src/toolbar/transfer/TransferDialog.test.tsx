import { ApiError } from '@parley/client';
import type { AgentState, DirectoryContact, TransferDestination } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState, buildCall, CALL_ID } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { InteractionCard } from '../interactions/InteractionCard';

const CAMPAIGN_ID = '00000000-0000-4000-8000-0000000000ca';
const agentTwo = { id: '00000000-0000-4000-8000-0000000000a2', name: 'Agent Two' };
const agentThree = { id: '00000000-0000-4000-8000-0000000000a3', name: 'Agent Three' };
const headOffice: TransferDestination = {
  id: '00000000-0000-4000-8000-0000000000d1',
  campaignId: CAMPAIGN_ID,
  name: 'Head office',
  number: '+61293744000',
  position: 0,
};
const billing = { id: '00000000-0000-4000-8000-0000000000f1', name: 'Billing IVR' };
const dutyManager: DirectoryContact = {
  id: 'microsoft-graph:9b2c',
  source: 'microsoft-graph',
  name: 'Dana Duty',
  title: 'Duty Manager',
  department: 'Operations',
  phones: [
    { number: '+61293744111', kind: 'work' },
    { number: '+61412000111', kind: 'mobile' },
  ],
  email: 'dana.duty@example.com',
  dialable: true,
};
const noPhone: DirectoryContact = {
  ...dutyManager,
  id: 'workspace:77',
  source: 'workspace',
  name: 'Dan Nophone',
  phones: [],
  dialable: false,
};
const serverState = buildAgentState();

type Within = ReturnType<typeof within>;

function renderCall(call = buildCall()) {
  renderWithMantine(
    <InteractionCard
      interaction={call}
      recordingControlsVisible
      wrapCodes={[]}
      outcome={null}
      onSessionExpired={vi.fn()}
    />,
  );
  return within(screen.getByRole('article', { name: call.label }));
}

const user = () => userEvent.setup();

/** Opens the Transfer dialog from the call's Transfer control and picks a Transfer Type. */
async function openTransfer(type?: 'Agent' | 'Contact' | 'Number' | 'Workflow'): Promise<Within> {
  const card = renderCall();
  await user().click(card.getByRole('button', { name: 'Transfer' }));
  const dialog = within(screen.getByRole('dialog', { name: 'Transfer' }));
  if (type) await choose(dialog, 'Transfer Type', type);
  return dialog;
}

/** Picks an option of a select once its list has loaded. */
async function choose(dialog: Within, label: string, option: string) {
  const select = await dialog.findByRole('combobox', { name: label });
  await waitFor(() => expect((select as HTMLInputElement).disabled).toBe(false));
  await user().click(select);
  await user().click(screen.getByRole('option', { name: option }));
}

function button(dialog: Within, name: string): HTMLButtonElement {
  return dialog.getByRole('button', { name }) as HTMLButtonElement;
}

const dialogOpen = () => screen.queryByRole('dialog', { name: 'Transfer' }) !== null;

describe('TransferDialog', () => {
  it("opens from the call's Transfer control with the Transfer Types", async () => {
    const dialog = await openTransfer();
    await user().click(dialog.getByRole('combobox', { name: 'Transfer Type' }));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Agent',
      'Contact',
      'Convert to Outbound',
      'Number',
      'Workflow',
    ]);
  });

  it('Agent: lists only the agents the server offers and transfers with the notes', async () => {
    const agents = vi.spyOn(api, 'transferAgents').mockResolvedValue([agentTwo, agentThree]);
    const transfer = vi.spyOn(api, 'transferCall').mockResolvedValue(serverState);
    const dialog = await openTransfer('Agent');
    expect(agents).toHaveBeenCalledTimes(1);

    await user().click(await dialog.findByRole('combobox', { name: 'Agent' }));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Agent Two', 'Agent Three']);
    await user().click(screen.getByRole('option', { name: 'Agent Three' }));
    await user().type(dialog.getByRole('textbox', { name: 'Notes' }), 'Wants a refund');
    await user().click(button(dialog, 'Transfer'));

    expect(transfer).toHaveBeenCalledWith(CALL_ID, {
      type: 'agent',
      userId: agentThree.id,
      notes: 'Wants a refund',
    });
    await waitFor(() => expect(dialogOpen()).toBe(false));
  });

  it('Agent: says so when no agent is available, and nothing can be sent', async () => {
    vi.spyOn(api, 'transferAgents').mockResolvedValue([]);
    const dialog = await openTransfer('Agent');
    expect(await dialog.findByText('No agents are available')).toBeTruthy();
    expect(dialog.queryByRole('combobox', { name: 'Agent' })).toBeNull();
    expect(button(dialog, 'Transfer').disabled).toBe(true);
    expect(button(dialog, 'Consult').disabled).toBe(true);
  });

  it('Agent: Consult opens a second line to the agent (no notes typed, none sent)', async () => {
    vi.spyOn(api, 'transferAgents').mockResolvedValue([agentTwo]);
    const consult = vi.spyOn(api, 'consultCall').mockResolvedValue(serverState);
    const dialog = await openTransfer('Agent');
    await choose(dialog, 'Agent', 'Agent Two');
    await user().click(button(dialog, 'Consult'));

    expect(consult).toHaveBeenCalledWith(CALL_ID, { type: 'agent', userId: agentTwo.id });
    await waitFor(() => expect(dialogOpen()).toBe(false));
  });

  it("Number: a number of the campaign's transfer pool, by name and number", async () => {
    const pool = vi.spyOn(api, 'campaignTransferPool').mockResolvedValue([headOffice]);
    const transfer = vi.spyOn(api, 'transferCall').mockResolvedValue(serverState);
    const dialog = await openTransfer('Number');
    expect(pool).toHaveBeenCalledWith(CAMPAIGN_ID);

    await choose(dialog, 'Transfer number', 'Head office (+61293744000)');
    expect(dialog.queryByRole('textbox', { name: 'Phone number' })).toBeNull();
    await user().click(button(dialog, 'Transfer'));
    expect(transfer).toHaveBeenCalledWith(CALL_ID, { type: 'number', destinationId: headOffice.id });
  });

  it('Number: Consult a pool number', async () => {
    vi.spyOn(api, 'campaignTransferPool').mockResolvedValue([headOffice]);
    const consult = vi.spyOn(api, 'consultCall').mockResolvedValue(serverState);
    const dialog = await openTransfer('Number');
    await choose(dialog, 'Transfer number', 'Head office (+61293744000)');
    await user().click(button(dialog, 'Consult'));
    expect(consult).toHaveBeenCalledWith(CALL_ID, { type: 'number', destinationId: headOffice.id });
  });

  it('Number: Other number sends the number typed', async () => {
    vi.spyOn(api, 'campaignTransferPool').mockResolvedValue([headOffice]);
    const transfer = vi.spyOn(api, 'transferCall').mockResolvedValue(serverState);
    const dialog = await openTransfer('Number');
    await choose(dialog, 'Transfer number', 'Other number');

    expect(button(dialog, 'Transfer').disabled).toBe(true);
    await user().type(dialog.getByRole('textbox', { name: 'Phone number' }), ' 0412 345 678 ');
    await user().click(button(dialog, 'Transfer'));
    expect(transfer).toHaveBeenCalledWith(CALL_ID, { type: 'number', number: '0412 345 678' });
  });

  it("Contact: searches the directory and transfers to the number chosen, with the contact's name", async () => {
    const search = vi.spyOn(api, 'searchDirectory').mockResolvedValue({ contacts: [noPhone, dutyManager] });
    const transfer = vi.spyOn(api, 'transferCall').mockResolvedValue(serverState);
    const consult = vi.spyOn(api, 'consultCall').mockResolvedValue(serverState);
    const dialog = await openTransfer('Contact');

    await user().type(dialog.getByRole('searchbox', { name: 'Search the directory' }), 'dan');
    const mobile = await dialog.findByRole('button', { name: 'Dana Duty, Mobile +61412000111' });
    expect(search).toHaveBeenLastCalledWith('dan');
    const nobody = within(dialog.getByRole('listitem', { name: 'Dan Nophone' }));
    expect(nobody.getByText('No phone number')).toBeTruthy();
    expect(nobody.queryAllByRole('button')).toEqual([]);
    expect(button(dialog, 'Transfer').disabled).toBe(true);
    expect(button(dialog, 'Consult').disabled).toBe(true);

    await user().click(mobile);
    expect(mobile.getAttribute('aria-pressed')).toBe('true');
    expect(dialog.getByText('To Dana Duty, Mobile +61412000111')).toBeTruthy();
    await user().click(button(dialog, 'Transfer'));
    expect(transfer).toHaveBeenCalledTimes(1);
    expect(transfer.mock.calls[0]).toEqual([
      CALL_ID,
      { type: 'number', number: '+61412000111', label: 'Dana Duty' },
    ]);
    expect(consult).not.toHaveBeenCalled();
    await waitFor(() => expect(dialogOpen()).toBe(false));
  });

  it("Contact: Consult opens a second line to the contact's number, with their name", async () => {
    vi.spyOn(api, 'searchDirectory').mockResolvedValue({ contacts: [dutyManager] });
    const transfer = vi.spyOn(api, 'transferCall').mockResolvedValue(serverState);
    const consult = vi.spyOn(api, 'consultCall').mockResolvedValue(serverState);
    const dialog = await openTransfer('Contact');

    await user().type(dialog.getByRole('searchbox', { name: 'Search the directory' }), 'Dana');
    await user().click(await dialog.findByRole('button', { name: 'Dana Duty, Work +61293744111' }));
    await user().click(button(dialog, 'Consult'));
    expect(consult).toHaveBeenCalledTimes(1);
    expect(consult.mock.calls[0]).toEqual([
      CALL_ID,
      { type: 'number', number: '+61293744111', label: 'Dana Duty' },
    ]);
    expect(transfer).not.toHaveBeenCalled();
    await waitFor(() => expect(dialogOpen()).toBe(false));
  });

  it('Workflow: transfers to the workflow chosen, and offers Assisted transfer, not Consult', async () => {
    vi.spyOn(api, 'transferWorkflows').mockResolvedValue([billing]);
    const transfer = vi.spyOn(api, 'transferCall').mockResolvedValue(serverState);
    const consult = vi.spyOn(api, 'consultCall').mockResolvedValue(serverState);
    const dialog = await openTransfer('Workflow');

    await choose(dialog, 'Workflow', 'Billing IVR');
    expect(dialog.queryByRole('button', { name: 'Consult' })).toBeNull();
    expect(button(dialog, 'Assisted transfer').disabled).toBe(false);
    await user().click(button(dialog, 'Transfer'));
    expect(transfer).toHaveBeenCalledWith(CALL_ID, { type: 'workflow', workflowId: billing.id });
    expect(consult).not.toHaveBeenCalled();
  });

  it('Workflow: Assisted transfer keeps the agent with the caller through the workflow (a consult to it)', async () => {
    vi.spyOn(api, 'transferWorkflows').mockResolvedValue([billing]);
    const transfer = vi.spyOn(api, 'transferCall').mockResolvedValue(serverState);
    const consult = vi.spyOn(api, 'consultCall').mockResolvedValue(serverState);
    const dialog = await openTransfer('Workflow');

    expect(button(dialog, 'Assisted transfer').disabled).toBe(true);
    await choose(dialog, 'Workflow', 'Billing IVR');
    await user().click(button(dialog, 'Assisted transfer'));

    expect(consult).toHaveBeenCalledWith(CALL_ID, { type: 'workflow', workflowId: billing.id });
    expect(transfer).not.toHaveBeenCalled();
    await waitFor(() => expect(dialogOpen()).toBe(false));
  });

  it('Agent and Number offer Consult, not Assisted transfer', async () => {
    vi.spyOn(api, 'transferAgents').mockResolvedValue([agentTwo]);
    vi.spyOn(api, 'campaignTransferPool').mockResolvedValue([headOffice]);
    const dialog = await openTransfer('Agent');
    await dialog.findByRole('combobox', { name: 'Agent' });
    expect(button(dialog, 'Consult')).toBeTruthy();
    expect(dialog.queryByRole('button', { name: 'Assisted transfer' })).toBeNull();

    await choose(dialog, 'Transfer Type', 'Number');
    await dialog.findByRole('combobox', { name: 'Transfer number' });
    expect(button(dialog, 'Consult')).toBeTruthy();
    expect(dialog.queryByRole('button', { name: 'Assisted transfer' })).toBeNull();
  });

  it('a refusal is shown in the dialog, which stays open', async () => {
    vi.spyOn(api, 'campaignTransferPool').mockResolvedValue([]);
    vi.spyOn(api, 'transferCall').mockRejectedValue(
      new ApiError(400, 'DIAL_PLAN_REFUSED', 'The dial plan does not allow 1900 numbers', undefined),
    );
    const dialog = await openTransfer('Number');
    await choose(dialog, 'Transfer number', 'Other number');
    await user().type(dialog.getByRole('textbox', { name: 'Phone number' }), '1900 123 456');
    await user().click(button(dialog, 'Transfer'));

    expect((await dialog.findByRole('alert')).textContent).toBe('The dial plan does not allow 1900 numbers');
    expect(dialogOpen()).toBe(true);
    expect(button(dialog, 'Transfer').disabled).toBe(false);
  });

  it('the buttons wait while the transfer is on its way', async () => {
    vi.spyOn(api, 'transferAgents').mockResolvedValue([agentTwo]);
    let answer: (state: AgentState) => void = () => {};
    vi.spyOn(api, 'transferCall').mockReturnValue(
      new Promise<AgentState>((resolve) => {
        answer = resolve;
      }),
    );
    const dialog = await openTransfer('Agent');
    await choose(dialog, 'Agent', 'Agent Two');
    await user().click(button(dialog, 'Transfer'));

    expect(button(dialog, 'Transfer').disabled).toBe(true);
    expect(button(dialog, 'Consult').disabled).toBe(true);
    answer(serverState);
    await waitFor(() => expect(dialogOpen()).toBe(false));
  });
});
