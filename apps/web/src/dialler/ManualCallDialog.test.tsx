import { ApiError } from '@parley/client';
import type { AgentStatus, DialCampaign, DirectoryContact, PlacedCall } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { renderWithMantine } from '../testing/renderWithMantine';
import { ManualCallDialog } from './ManualCallDialog';
import { PAUSE_RULE } from './PauseRuleNotice';

const sales: DialCampaign = { id: '00000000-0000-4000-8000-0000000000c5', name: 'Sales' };
const support: DialCampaign = { id: '00000000-0000-4000-8000-0000000000c6', name: 'Support' };
const paused: AgentStatus = { kind: 'paused', reasonId: null, reasonName: 'Lunch' };
const available: AgentStatus = { kind: 'available' };
const placed: PlacedCall = { interactionId: '00000000-0000-4000-8000-0000000000e1', to: '+442079460000' };

const ann: DirectoryContact = {
  id: 'workspace:1',
  source: 'workspace',
  name: 'Ann Lee',
  title: 'Accounts Manager',
  department: 'Finance',
  phones: [
    { number: '+61293744000', kind: 'work' },
    { number: '+61412345678', kind: 'mobile' },
  ],
  email: 'ann.lee@example.com',
  dialable: true,
};
const annika: DirectoryContact = {
  ...ann,
  id: 'microsoft-graph:2',
  source: 'microsoft-graph',
  name: 'Annika Berg',
  phones: [],
  dialable: false,
};

function renderDialog(status: AgentStatus = paused, campaigns: DialCampaign[] = [sales]) {
  vi.spyOn(api, 'dialCampaigns').mockResolvedValue(campaigns);
  const onClose = vi.fn();
  const view = renderWithMantine(
    <ManualCallDialog status={status} onClose={onClose} onSessionExpired={vi.fn()} />,
  );
  const dialog = within(screen.getByRole('dialog', { name: 'Manual Call' }));
  return { dialog, onClose, view };
}

type Dialog = ReturnType<typeof renderDialog>['dialog'];

const user = () => userEvent.setup();
const phoneBox = (dialog: Dialog) =>
  dialog.getByRole('textbox', { name: 'Phone number' }) as HTMLInputElement;
const callButton = (dialog: Dialog) =>
  dialog.getByRole('button', { name: 'Call number' }) as HTMLButtonElement;

/** The campaign select once its list has loaded. */
async function campaignSelect(dialog: Dialog): Promise<HTMLInputElement> {
  const select = (await dialog.findByRole('combobox', { name: 'Campaign' })) as HTMLInputElement;
  await waitFor(() => expect(select.disabled).toBe(false));
  return select;
}

describe('ManualCallDialog', () => {
  it('fills the phone number from the keyboard and from every key of the dial pad', async () => {
    const { dialog } = renderDialog();
    await user().type(phoneBox(dialog), '020 7946 ');
    const pad = within(dialog.getByRole('group', { name: 'Dial pad' }));
    for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'])
      await user().click(pad.getByRole('button', { name: key }));
    expect(phoneBox(dialog).value).toBe('020 7946 123456789*0#');
  });

  it('Call number places the call with the number and the only campaign, preselected, and closes', async () => {
    const placeCall = vi.spyOn(api, 'placeCall').mockResolvedValue(placed);
    const { dialog, onClose } = renderDialog();
    expect((await campaignSelect(dialog)).value).toBe('Sales');
    await user().type(phoneBox(dialog), '+44 20 7946 0000');
    await user().click(callButton(dialog));

    expect(placeCall).toHaveBeenCalledWith({
      type: 'number',
      number: '+44 20 7946 0000',
      campaignId: sales.id,
    });
    await waitFor(() => expect(onClose).toHaveBeenCalledOnce());
  });

  it('with several campaigns, one must be chosen before Call number', async () => {
    const placeCall = vi.spyOn(api, 'placeCall').mockResolvedValue(placed);
    const { dialog } = renderDialog(paused, [sales, support]);
    const select = await campaignSelect(dialog);
    expect(select.value).toBe('');
    await user().type(phoneBox(dialog), '02079460000');
    expect(callButton(dialog).disabled).toBe(true);

    await user().click(select);
    await user().click(screen.getByRole('option', { name: 'Support' }));
    await user().click(callButton(dialog));
    expect(placeCall).toHaveBeenCalledWith({ type: 'number', number: '02079460000', campaignId: support.id });
  });

  it('a name searches the directory; a contact without a phone number shows but cannot be picked', async () => {
    const search = vi.spyOn(api, 'searchDirectory').mockResolvedValue({ contacts: [ann, annika] });
    const placeCall = vi.spyOn(api, 'placeCall').mockResolvedValue(placed);
    const { dialog } = renderDialog();
    await campaignSelect(dialog);
    await user().type(phoneBox(dialog), 'Ann');

    const list = within(await dialog.findByRole('list', { name: 'Contacts found' }));
    expect(search).toHaveBeenLastCalledWith('Ann');
    // A name is not a number: nothing to call until a number is picked.
    expect(callButton(dialog).disabled).toBe(true);
    const annikaItem = within(list.getByRole('listitem', { name: 'Annika Berg' }));
    expect(annikaItem.getByText('No phone number')).toBeTruthy();
    expect(annikaItem.queryByRole('button')).toBeNull();

    await user().click(list.getByRole('button', { name: 'Ann Lee, Mobile +61412345678' }));
    expect(phoneBox(dialog).value).toBe('+61412345678');
    expect(dialog.getByText('To Ann Lee')).toBeTruthy();
    await user().click(callButton(dialog));
    expect(placeCall).toHaveBeenCalledWith({
      type: 'number',
      number: '+61412345678',
      campaignId: sales.id,
      label: 'Ann Lee',
    });
  });

  it("a picked contact's name goes only with their number: once edited, no label", async () => {
    vi.spyOn(api, 'searchDirectory').mockResolvedValue({ contacts: [ann] });
    const placeCall = vi.spyOn(api, 'placeCall').mockResolvedValue(placed);
    const { dialog } = renderDialog();
    await campaignSelect(dialog);
    await user().type(phoneBox(dialog), 'Ann');
    await user().click(await dialog.findByRole('button', { name: 'Ann Lee, Work +61293744000' }));
    await user().click(dialog.getByRole('button', { name: '1' }));

    expect(dialog.queryByText('To Ann Lee')).toBeNull();
    await user().click(callButton(dialog));
    expect(placeCall).toHaveBeenCalledWith({ type: 'number', number: '+612937440001', campaignId: sales.id });
  });

  it('while Available, tells the agent to pause first and Call number waits; paused, it may call', async () => {
    const placeCall = vi.spyOn(api, 'placeCall').mockResolvedValue(placed);
    const { dialog, view } = renderDialog(available);
    await campaignSelect(dialog);
    await user().type(phoneBox(dialog), '02079460000');

    expect(dialog.getByRole('note').textContent).toBe(PAUSE_RULE);
    expect(callButton(dialog).disabled).toBe(true);
    await user().type(phoneBox(dialog), '{Enter}');
    expect(placeCall).not.toHaveBeenCalled();

    view.rerender(<ManualCallDialog status={paused} onClose={vi.fn()} onSessionExpired={vi.fn()} />);
    expect(dialog.queryByText(PAUSE_RULE)).toBeNull();
    expect(callButton(dialog).disabled).toBe(false);
    // Enter in the box calls, as the button does.
    await user().type(phoneBox(dialog), '{Enter}');
    expect(placeCall).toHaveBeenCalledOnce();
  });

  it("a refusal shows the server's message, and the dialog stays with the number typed", async () => {
    const message = 'Calls to premium-rate numbers are not allowed in this workspace';
    vi.spyOn(api, 'placeCall').mockRejectedValue(new ApiError(403, 'DIAL_PLAN_REFUSED', message, undefined));
    const { dialog, onClose } = renderDialog();
    await campaignSelect(dialog);
    await user().type(phoneBox(dialog), '09065 123456');
    await user().click(callButton(dialog));

    expect((await dialog.findByRole('alert')).textContent).toBe(message);
    expect(onClose).not.toHaveBeenCalled();
    expect(phoneBox(dialog).value).toBe('09065 123456');
    expect(callButton(dialog).disabled).toBe(false);
  });

  it('says so when the agent is on no campaign to record a call under', async () => {
    const { dialog } = renderDialog(paused, []);
    expect(await dialog.findByText('You are on no campaign to record a call under')).toBeTruthy();
    await user().type(phoneBox(dialog), '02079460000');
    expect(callButton(dialog).disabled).toBe(true);
  });
});
