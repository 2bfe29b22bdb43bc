import { ApiError } from '@parley/client';
import type { AgentStatus, PlacedCall } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { renderWithMantine } from '../testing/renderWithMantine';
import { AgentCallDialog } from './AgentCallDialog';
import { PAUSE_RULE } from './PauseRuleNotice';

const agentTwo = { id: '00000000-0000-4000-8000-0000000000a2', name: 'Agent Two' };
const agentThree = { id: '00000000-0000-4000-8000-0000000000a3', name: 'Agent Three' };
const paused: AgentStatus = { kind: 'paused', reasonId: null, reasonName: 'Lunch' };
const placed: PlacedCall = { interactionId: '00000000-0000-4000-8000-0000000000e1', to: 'Agent Three' };

function renderDialog(status: AgentStatus = paused) {
  const onClose = vi.fn();
  renderWithMantine(<AgentCallDialog status={status} onClose={onClose} onSessionExpired={vi.fn()} />);
  return { dialog: within(screen.getByRole('dialog', { name: 'Agent Call' })), onClose };
}

const user = () => userEvent.setup();

describe('AgentCallDialog', () => {
  it('lists the available agents by name; Call places an Agent Call to that one and closes', async () => {
    vi.spyOn(api, 'transferAgents').mockResolvedValue([agentTwo, agentThree]);
    const placeCall = vi.spyOn(api, 'placeCall').mockResolvedValue(placed);
    const { dialog, onClose } = renderDialog();

    const list = within(await dialog.findByRole('list', { name: 'Available agents' }));
    expect(list.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Agent TwoCall',
      'Agent ThreeCall',
    ]);
    await user().click(list.getByRole('button', { name: 'Call Agent Three' }));
    expect(placeCall).toHaveBeenCalledWith({ type: 'agent', agentId: agentThree.id });
    await waitFor(() => expect(onClose).toHaveBeenCalledOnce());
  });

  it('says so when no agent is available', async () => {
    vi.spyOn(api, 'transferAgents').mockResolvedValue([]);
    const { dialog } = renderDialog();
    expect(await dialog.findByText('No agents are available')).toBeTruthy();
    expect(dialog.queryByRole('button', { name: /^Call / })).toBeNull();
  });

  it('while Available, tells the agent to pause first, and no agent can be called', async () => {
    vi.spyOn(api, 'transferAgents').mockResolvedValue([agentTwo]);
    const { dialog } = renderDialog({ kind: 'available' });
    const call = (await dialog.findByRole('button', { name: 'Call Agent Two' })) as HTMLButtonElement;
    expect(dialog.getByRole('note').textContent).toBe(PAUSE_RULE);
    expect(call.disabled).toBe(true);
  });

  it("a refusal shows the server's message and the dialog stays", async () => {
    const message = 'Agent Two is no longer available';
    vi.spyOn(api, 'transferAgents').mockResolvedValue([agentTwo]);
    vi.spyOn(api, 'placeCall').mockRejectedValue(new ApiError(409, 'AGENT_UNAVAILABLE', message, undefined));
    const { dialog, onClose } = renderDialog();
    await user().click(await dialog.findByRole('button', { name: 'Call Agent Two' }));

    expect((await dialog.findByRole('alert')).textContent).toBe(message);
    expect(onClose).not.toHaveBeenCalled();
  });
});
