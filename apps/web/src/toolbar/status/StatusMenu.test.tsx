import type { AgentInteraction, AgentState, PauseReason } from '@parley/contract';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { buildAgentState } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { StatusMenu } from './StatusMenu';

const lunch: PauseReason = { id: '00000000-0000-4000-8000-000000000001', name: 'Lunch', position: 1 };
const afterCallWork: PauseReason = {
  id: '00000000-0000-4000-8000-000000000002',
  name: 'After Call Work',
  position: 2,
};

function buildWrappingCall(): AgentInteraction {
  return {
    id: '00000000-0000-4000-8000-0000000000c1',
    kind: 'voice',
    state: 'wrapping',
    campaignId: '00000000-0000-4000-8000-0000000000ca',
    campaignName: 'Support',
    label: '+44 20 7946 0000',
    since: new Date().toISOString(),
  };
}

function renderMenu(agent: AgentState, onChoose = vi.fn()) {
  renderWithMantine(
    <StatusMenu agent={agent} pauseReasons={[lunch, afterCallWork]} pending={false} onChoose={onChoose} />,
  );
  return onChoose;
}

/** What the button's aria-describedby points at, as read out: the time, then the second line. */
function description(button: HTMLElement): string {
  return (button.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

/** The menu entry that carries the check mark: the status that stands now. */
function checkedItems(): string[] {
  return screen
    .getAllByRole('menuitem')
    .filter((item) => item.querySelector('.tabler-icon-check'))
    .map((item) => item.textContent ?? '');
}

describe('StatusMenu', () => {
  it('outside wrap-up, changes the status now and marks the current one', async () => {
    const user = userEvent.setup();
    const onChoose = renderMenu(
      buildAgentState({ status: { kind: 'paused', reasonId: lunch.id, reasonName: 'Lunch' } }),
    );

    expect(screen.queryByText(/After wrap/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Status: Lunch' }));
    expect(screen.getByText('Change status')).toBeTruthy();
    expect(checkedItems()).toEqual(['Lunch']);

    await user.click(screen.getByRole('menuitem', { name: 'Available' }));
    expect(onChoose).toHaveBeenCalledWith({ kind: 'available' });
  });

  it('during wrap-up, a choice is the status to take after wrapping', async () => {
    const user = userEvent.setup();
    const onChoose = renderMenu(buildAgentState({ interactions: [buildWrappingCall()] }));

    const button = screen.getByRole('button', { name: 'Status: Wrapping' });
    // Nothing chosen yet: after wrap-up the agent keeps the status they have.
    expect(screen.getByText('After wrap: Available')).toBeTruthy();
    expect(button.getAttribute('aria-describedby')?.split(' ')).toHaveLength(2);

    await user.click(button);
    expect(screen.getByText('Status after wrap-up')).toBeTruthy();
    await user.click(screen.getByRole('menuitem', { name: 'After Call Work' }));
    expect(onChoose).toHaveBeenCalledWith({ kind: 'paused', reasonId: afterCallWork.id });
  });

  it('during wrap-up, shows and marks the chosen next status, not the current one', async () => {
    const user = userEvent.setup();
    renderMenu(
      buildAgentState({
        interactions: [buildWrappingCall()],
        nextStatus: { kind: 'paused', reasonId: afterCallWork.id },
      }),
    );

    // The status itself stays Available until the call is wrapped; the control says what stands now.
    const button = screen.getByRole('button', { name: 'Status: Wrapping' });
    expect(screen.getByText('After wrap: After Call Work')).toBeTruthy();
    await user.click(button);
    expect(checkedItems()).toEqual(['After Call Work']);
  });

  it('on a call, shows "On call" timed from the answer, then "On hold" timed from the hold', () => {
    const answered = new Date(Date.now() - 95_500).toISOString();
    const call: AgentInteraction = { ...buildWrappingCall(), state: 'busy', since: answered };
    const { rerender } = renderWithMantine(
      <StatusMenu
        agent={buildAgentState({
          since: new Date(Date.now() - 3_600_000).toISOString(),
          interactions: [call],
        })}
        pauseReasons={[lunch]}
        pending={false}
        onChoose={vi.fn()}
      />,
    );
    const button = screen.getByRole('button', { name: 'Status: On call' });
    // The time on the call, not the hour spent Available before it: what the button's description reads.
    expect(description(button)).toContain('01:35');
    expect(screen.getByText('After wrap: Available')).toBeTruthy();

    const held = { ...call, held: true, heldSince: new Date(Date.now() - 7_500).toISOString() };
    rerender(
      <StatusMenu
        agent={buildAgentState({ interactions: [held] })}
        pauseReasons={[lunch]}
        pending={false}
        onChoose={vi.fn()}
      />,
    );
    expect(description(screen.getByRole('button', { name: 'Status: On hold' }))).toContain('00:07');
  });

  it('once wrapped, the chosen next status no longer shows', () => {
    renderMenu(buildAgentState({ nextStatus: { kind: 'paused', reasonId: afterCallWork.id } }));
    expect(screen.queryByText(/After wrap/)).toBeNull();
  });

  it('says when the workspace has no pause reasons', async () => {
    const user = userEvent.setup();
    renderWithMantine(
      <StatusMenu agent={buildAgentState()} pauseReasons={[]} pending={false} onChoose={vi.fn()} />,
    );
    await user.click(screen.getByRole('button', { name: 'Status: Available' }));
    const menu = screen.getByRole('menu');
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((item) => item.textContent),
    ).toEqual(['Available']);
    expect(within(menu).getByText('No pause reasons are set up for this workspace.')).toBeTruthy();
  });
});
