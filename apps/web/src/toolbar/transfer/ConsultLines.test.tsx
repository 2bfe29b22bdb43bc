import { ApiError } from '@parley/client';
import type { AgentInteraction, ConsultLine } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState, buildCall, CALL_ID } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { InteractionCard } from '../interactions/InteractionCard';

const serverState = buildAgentState();

function consulting(consult: Partial<ConsultLine> = {}): AgentInteraction {
  return buildCall({
    label: 'Ada Lovelace',
    consult: { label: 'Agent Two', state: 'connected', active: 'consulted', ...consult },
  });
}

function renderCall(call: AgentInteraction) {
  renderWithMantine(
    <InteractionCard
      interaction={call}
      recordingControlsVisible
      wrapCodes={[]}
      outcome={null}
      onSessionExpired={vi.fn()}
    />,
  );
  const card = within(screen.getByRole('article', { name: call.label }));
  const lines = within(card.getByRole('group', { name: 'Lines' }));
  return { card, lines };
}

/** What the consulted party's line says of itself (its description), if anything. */
function connectingText(lines: ReturnType<typeof within>, label: string): string | undefined {
  const line = lines.getByRole('button', { name: label });
  return document.getElementById(line.getAttribute('aria-describedby') ?? '')?.textContent ?? undefined;
}

/** The lines the agent talks on, as marked for assistive technology. */
function activeLines(lines: ReturnType<typeof within>): string[] {
  return lines
    .getAllByRole('button', { pressed: true })
    .filter((b: HTMLElement) => b.getAttribute('aria-current') === 'true')
    .map((b: HTMLElement) => b.textContent ?? '');
}

describe('ConsultLines', () => {
  it('no second line, no Lines', () => {
    renderWithMantine(
      <InteractionCard
        interaction={buildCall()}
        recordingControlsVisible
        wrapCodes={[]}
        outcome={null}
        onSessionExpired={vi.fn()}
      />,
    );
    expect(screen.queryByRole('group', { name: 'Lines' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Merge Lines' })).toBeNull();
  });

  it("marks the line the agent talks on, and switches to the customer's when clicked", async () => {
    const switchLine = vi.spyOn(api, 'switchConsultLine').mockResolvedValue(serverState);
    const { lines } = renderCall(consulting({ active: 'consulted' }));

    expect(activeLines(lines)).toEqual(['Agent Two']);
    expect(lines.getByRole('button', { name: 'Ada Lovelace', pressed: false })).toBeTruthy();
    await userEvent.setup().click(lines.getByRole('button', { name: 'Ada Lovelace' }));
    expect(switchLine).toHaveBeenCalledWith(CALL_ID, 'customer');
  });

  it('back with the customer, clicking the consulted party switches to them; the active line does nothing', async () => {
    const switchLine = vi.spyOn(api, 'switchConsultLine').mockResolvedValue(serverState);
    const user = userEvent.setup();
    const { lines } = renderCall(consulting({ active: 'customer' }));

    expect(activeLines(lines)).toEqual(['Ada Lovelace']);
    await user.click(lines.getByRole('button', { name: 'Ada Lovelace' }));
    expect(switchLine).not.toHaveBeenCalled();
    await user.click(lines.getByRole('button', { name: 'Agent Two' }));
    expect(switchLine).toHaveBeenCalledWith(CALL_ID, 'consulted');
  });

  it('the consulted party ringing reads "Connecting…", and there is nothing to merge or switch to yet', async () => {
    const switchLine = vi.spyOn(api, 'switchConsultLine');
    const { lines } = renderCall(consulting({ state: 'ringing', active: 'customer' }));
    expect(connectingText(lines, 'Agent Two')).toBe('Connecting…');
    expect(lines.queryByRole('button', { name: 'Merge Lines' })).toBeNull();
    const line = lines.getByRole('button', { name: 'Agent Two' }) as HTMLButtonElement;
    expect(line.disabled).toBe(true);
    await userEvent.setup().click(line);
    expect(switchLine).not.toHaveBeenCalled();
  });

  it('an Assisted transfer in its workflow and queue reads "Connecting…" too; hanging it up cancels it', async () => {
    const hangUp = vi.spyOn(api, 'hangUpConsult').mockResolvedValue(serverState);
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(serverState);
    const { lines } = renderCall(consulting({ label: 'Billing IVR', state: 'ringing', active: 'customer' }));
    expect(activeLines(lines)).toEqual(['Ada Lovelace']);
    expect(connectingText(lines, 'Billing IVR')).toBe('Connecting…');
    expect(lines.queryByRole('button', { name: 'Merge Lines' })).toBeNull();

    await userEvent.setup().click(lines.getByRole('button', { name: 'Hang up Billing IVR' }));
    expect(hangUp).toHaveBeenCalledWith(CALL_ID);
    expect(end).not.toHaveBeenCalled();
  });

  it('once connected, the consulted line says nothing more', () => {
    const { lines } = renderCall(consulting({ state: 'connected', active: 'customer' }));
    expect(lines.getByRole('button', { name: 'Agent Two' }).getAttribute('aria-describedby')).toBeNull();
    expect(lines.queryByText('Connecting…')).toBeNull();
  });

  it('hangs up the consulted party', async () => {
    const hangUp = vi.spyOn(api, 'hangUpConsult').mockResolvedValue(serverState);
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(serverState);
    const { lines } = renderCall(consulting());
    await userEvent.setup().click(lines.getByRole('button', { name: 'Hang up Agent Two' }));
    expect(hangUp).toHaveBeenCalledWith(CALL_ID);
    expect(end).not.toHaveBeenCalled();
  });

  it('Merge Lines makes a conference', async () => {
    const merge = vi.spyOn(api, 'mergeConsult').mockResolvedValue(serverState);
    const { lines } = renderCall(consulting());
    await userEvent.setup().click(lines.getByRole('button', { name: 'Merge Lines' }));
    expect(merge).toHaveBeenCalledWith(CALL_ID);
  });

  it('a refused move is shown', async () => {
    vi.spyOn(api, 'mergeConsult').mockRejectedValue(
      new ApiError(409, 'TRANSFER_FAILED', 'Agent Two hung up', undefined),
    );
    const { card, lines } = renderCall(consulting());
    await userEvent.setup().click(lines.getByRole('button', { name: 'Merge Lines' }));
    expect((await card.findByRole('alert')).textContent).toBe('Agent Two hung up');
  });

  it('a conference: both lines active, "Conference", no Merge Lines and no Transfer', () => {
    const { card, lines } = renderCall(consulting({ active: 'conference' }));
    expect(activeLines(lines)).toEqual(['Ada Lovelace', 'Agent Two']);
    expect(card.getByText('Conference')).toBeTruthy();
    expect(card.queryByRole('button', { name: 'Merge Lines' })).toBeNull();
    expect(card.queryByRole('button', { name: 'Transfer' })).toBeNull();
  });
});

describe('hanging up a conference', () => {
  async function hangUp() {
    const { card } = renderCall(consulting({ active: 'conference' }));
    await userEvent.setup().click(card.getByRole('button', { name: 'Hang Up' }));
    return within(screen.getByRole('dialog', { name: 'Hang up call' }));
  }

  it('asks first; Leave the conference leaves the others talking', async () => {
    const leave = vi.spyOn(api, 'leaveConference').mockResolvedValue(serverState);
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(serverState);
    const dialog = await hangUp();
    expect(dialog.getByText(/^Leave the conference and the others keep talking/)).toBeTruthy();
    expect(dialog.queryByRole('button', { name: 'Leave the call' })).toBeNull();
    expect(leave).not.toHaveBeenCalled();
    expect(end).not.toHaveBeenCalled();

    await userEvent.setup().click(dialog.getByRole('button', { name: 'Leave the conference' }));
    expect(leave).toHaveBeenCalledWith(CALL_ID);
    expect(end).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Hang up call' })).toBeNull());
  });

  it('End call for all ends it', async () => {
    const leave = vi.spyOn(api, 'leaveConference').mockResolvedValue(serverState);
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(serverState);
    const dialog = await hangUp();
    await userEvent.setup().click(dialog.getByRole('button', { name: 'End call for all' }));
    expect(end).toHaveBeenCalledWith(CALL_ID);
    expect(leave).not.toHaveBeenCalled();
  });

  it('Cancel sends nothing', async () => {
    const leave = vi.spyOn(api, 'leaveConference').mockResolvedValue(serverState);
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(serverState);
    const dialog = await hangUp();
    await userEvent.setup().click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog', { name: 'Hang up call' })).toBeNull();
    expect(leave).not.toHaveBeenCalled();
    expect(end).not.toHaveBeenCalled();
  });
});

describe('hanging up during a consult', () => {
  async function hangUp(active: 'customer' | 'consulted') {
    const { card } = renderCall(consulting({ active }));
    await userEvent.setup().click(card.getByRole('button', { name: 'Hang Up' }));
    return within(screen.getByRole('dialog', { name: 'Hang up call' }));
  }

  it.each(['consulted', 'customer'] as const)(
    'talking to the %s, asks first; Leave the call leaves the customer to the consulted party',
    async (active) => {
      const leave = vi.spyOn(api, 'leaveConference').mockResolvedValue(serverState);
      const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(serverState);
      const dialog = await hangUp(active);
      expect(dialog.getByText(/^Leave the call and Agent Two keeps the customer/)).toBeTruthy();
      expect(dialog.queryByRole('button', { name: 'Leave the conference' })).toBeNull();
      expect(leave).not.toHaveBeenCalled();
      expect(end).not.toHaveBeenCalled();

      await userEvent.setup().click(dialog.getByRole('button', { name: 'Leave the call' }));
      expect(leave).toHaveBeenCalledWith(CALL_ID);
      expect(end).not.toHaveBeenCalled();
      await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Hang up call' })).toBeNull());
    },
  );

  it('End call for all ends it', async () => {
    const leave = vi.spyOn(api, 'leaveConference').mockResolvedValue(serverState);
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(serverState);
    const dialog = await hangUp('consulted');
    await userEvent.setup().click(dialog.getByRole('button', { name: 'End call for all' }));
    expect(end).toHaveBeenCalledWith(CALL_ID);
    expect(leave).not.toHaveBeenCalled();
  });

  it('Cancel sends nothing', async () => {
    const leave = vi.spyOn(api, 'leaveConference').mockResolvedValue(serverState);
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(serverState);
    const dialog = await hangUp('customer');
    await userEvent.setup().click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog', { name: 'Hang up call' })).toBeNull();
    expect(leave).not.toHaveBeenCalled();
    expect(end).not.toHaveBeenCalled();
  });

  it('a refused leave is shown in the question, which stays', async () => {
    vi.spyOn(api, 'leaveConference').mockRejectedValue(
      new ApiError(409, 'INTERACTION_STATE', 'The customer has hung up: hang up instead', undefined),
    );
    const dialog = await hangUp('consulted');
    await userEvent.setup().click(dialog.getByRole('button', { name: 'Leave the call' }));
    expect((await dialog.findByRole('alert')).textContent).toBe('The customer has hung up: hang up instead');
    expect(dialog.getByRole('button', { name: 'End call for all' })).toBeTruthy();
  });

  it('the question goes when the consulted party hangs up, and does not come back with a later line', async () => {
    const call = consulting({ active: 'consulted' });
    const card = (interaction: AgentInteraction) => (
      <InteractionCard
        interaction={interaction}
        recordingControlsVisible
        wrapCodes={[]}
        outcome={null}
        onSessionExpired={vi.fn()}
      />
    );
    const { rerender } = renderWithMantine(card(call));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Hang Up' }));
    expect(screen.getByRole('dialog', { name: 'Hang up call' })).toBeTruthy();

    rerender(card({ ...call, consult: undefined }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Hang up call' })).toBeNull());
    rerender(card(call));
    expect(screen.queryByRole('dialog', { name: 'Hang up call' })).toBeNull();
  });

  it('while the second line is still connecting, Hang Up ends the call at once, as without one', async () => {
    const leave = vi.spyOn(api, 'leaveConference').mockResolvedValue(serverState);
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(serverState);
    const { card } = renderCall(consulting({ label: 'Billing IVR', state: 'ringing', active: 'customer' }));
    const hangUpButton = card.getByRole('button', { name: 'Hang Up' });
    expect(hangUpButton.getAttribute('aria-haspopup')).toBeNull();
    await userEvent.setup().click(hangUpButton);
    expect(end).toHaveBeenCalledWith(CALL_ID);
    expect(leave).not.toHaveBeenCalled();
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
