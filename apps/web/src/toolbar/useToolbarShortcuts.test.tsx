import { Textarea, TextInput } from '@mantine/core';
import type { AgentInteraction } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { buildAgentState } from '../testing/agentState';
import { renderWithMantine } from '../testing/renderWithMantine';
import { InteractionCard } from './interactions/InteractionCard';
import { StatusMenu } from './status/StatusMenu';
import { useToolbarShortcuts } from './useToolbarShortcuts';

const campaign = { campaignId: '00000000-0000-4000-8000-0000000000ca', campaignName: 'Support' };

function buildInteraction(overrides: Partial<AgentInteraction>): AgentInteraction {
  return {
    id: '00000000-0000-4000-8000-0000000000c1',
    kind: 'voice',
    state: 'busy',
    label: 'Web caller',
    since: new Date().toISOString(),
    ...campaign,
    ...overrides,
  };
}

const agent = buildAgentState();

function Harness({ interactions }: { interactions: AgentInteraction[] }) {
  useToolbarShortcuts({ interactions, onSessionExpired: () => undefined });
  return (
    <>
      <header>
        <StatusMenu agent={agent} pauseReasons={[]} pending={false} onChoose={() => undefined} />
      </header>
      <Textarea label="Notes" />
      <TextInput label="Outcome" readOnly />
    </>
  );
}

/** The shortcuts beside a call's card, whose Hang Up they may press. */
function CardHarness({ call }: { call: AgentInteraction }) {
  useToolbarShortcuts({ interactions: [call], onSessionExpired: () => undefined });
  return (
    <InteractionCard
      interaction={call}
      recordingControlsVisible
      wrapCodes={[]}
      outcome={null}
      onSessionExpired={() => undefined}
    />
  );
}

const announcement = () => document.querySelector('[data-toolbar-shortcuts]')?.textContent;

describe('useToolbarShortcuts', () => {
  it('Alt+Shift+H holds the connected call, and retrieves it once held', async () => {
    const hold = vi.spyOn(api, 'holdCall').mockResolvedValue(agent);
    const user = userEvent.setup();
    const { rerender } = renderWithMantine(<Harness interactions={[buildInteraction({})]} />);

    await user.keyboard('{Alt>}{Shift>}h{/Shift}{/Alt}');
    expect(hold).toHaveBeenCalledWith('00000000-0000-4000-8000-0000000000c1', true);
    await waitFor(() => expect(announcement()).toBe('Call on hold'));

    rerender(<Harness interactions={[buildInteraction({ held: true })]} />);
    await user.keyboard('{Alt>}{Shift>}h{/Shift}{/Alt}');
    expect(hold).toHaveBeenLastCalledWith('00000000-0000-4000-8000-0000000000c1', false);
    await waitFor(() => expect(announcement()).toBe('Call retrieved from hold'));
  });

  it('Alt+Shift+E hangs up the connected call, not a chat', async () => {
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(agent);
    const user = userEvent.setup();
    const chat = buildInteraction({ id: '00000000-0000-4000-8000-0000000000c2', kind: 'chat' });
    renderWithMantine(<Harness interactions={[chat, buildInteraction({})]} />);

    await user.keyboard('{Alt>}{Shift>}e{/Shift}{/Alt}');
    expect(end).toHaveBeenCalledTimes(1);
    expect(end).toHaveBeenCalledWith('00000000-0000-4000-8000-0000000000c1');
    await waitFor(() => expect(announcement()).toBe('Call ended'));
  });

  it('Alt+Shift+E in a conference asks, as Hang Up does, whether to leave or end it for all', async () => {
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(agent);
    const leave = vi.spyOn(api, 'leaveConference').mockResolvedValue(agent);
    const user = userEvent.setup();
    const conference = buildInteraction({
      consult: { label: 'Agent Two', state: 'connected', active: 'conference' },
    });
    renderWithMantine(<CardHarness call={conference} />);

    await user.keyboard('{Alt>}{Shift>}e{/Shift}{/Alt}');
    const dialog = await screen.findByRole('dialog', { name: 'Hang up call' });
    expect(end).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Leave the conference' }));
    expect(leave).toHaveBeenCalledWith('00000000-0000-4000-8000-0000000000c1');
    expect(end).not.toHaveBeenCalled();
  });

  it('Alt+Shift+E during a connected consult asks too: Leave the call hands the customer over', async () => {
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(agent);
    const leave = vi.spyOn(api, 'leaveConference').mockResolvedValue(agent);
    const user = userEvent.setup();
    const consulting = buildInteraction({
      consult: { label: 'Agent Two', state: 'connected', active: 'consulted' },
    });
    renderWithMantine(<CardHarness call={consulting} />);

    await user.keyboard('{Alt>}{Shift>}e{/Shift}{/Alt}');
    const dialog = await screen.findByRole('dialog', { name: 'Hang up call' });
    expect(end).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Leave the call' }));
    expect(leave).toHaveBeenCalledWith('00000000-0000-4000-8000-0000000000c1');
    expect(end).not.toHaveBeenCalled();
  });

  it('Alt+Shift+E while the second line is still connecting ends the call, as Hang Up does', async () => {
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(agent);
    const user = userEvent.setup();
    const connecting = buildInteraction({
      consult: { label: 'Billing IVR', state: 'ringing', active: 'customer' },
    });
    renderWithMantine(<CardHarness call={connecting} />);

    await user.keyboard('{Alt>}{Shift>}e{/Shift}{/Alt}');
    expect(end).toHaveBeenCalledWith('00000000-0000-4000-8000-0000000000c1');
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(announcement()).toBe('Call ended'));
  });

  it('Alt+Shift+H with a second line holds nothing, and says why', async () => {
    const hold = vi.spyOn(api, 'holdCall').mockResolvedValue(agent);
    const user = userEvent.setup();
    const consulting = buildInteraction({
      consult: { label: 'Agent Two', state: 'connected', active: 'customer' },
    });
    renderWithMantine(<Harness interactions={[consulting]} />);

    await user.keyboard('{Alt>}{Shift>}h{/Shift}{/Alt}');
    expect(hold).not.toHaveBeenCalled();
    expect(announcement()).toBe('No hold while the call has a second line');
  });

  it('Alt+Shift+A accepts an offered chat; a ringing call is answered where it rings', async () => {
    const accept = vi.spyOn(api, 'acceptInteraction').mockResolvedValue(agent);
    const user = userEvent.setup();
    const ringing = buildInteraction({ state: 'offered' });
    const { rerender } = renderWithMantine(<Harness interactions={[ringing]} />);

    await user.keyboard('{Alt>}{Shift>}a{/Shift}{/Alt}');
    expect(accept).not.toHaveBeenCalled();
    expect(announcement()).toBe('No interaction to answer');

    const chat = buildInteraction({
      id: '00000000-0000-4000-8000-0000000000c3',
      kind: 'chat',
      state: 'offered',
      label: 'Chat with Kim',
    });
    rerender(<Harness interactions={[ringing, chat]} />);
    await user.keyboard('{Alt>}{Shift>}a{/Shift}{/Alt}');
    expect(accept).toHaveBeenCalledWith('00000000-0000-4000-8000-0000000000c3');
    await waitFor(() => expect(announcement()).toBe('Chat with Kim accepted'));
  });

  it('Alt+Shift+S opens the status menu', async () => {
    const user = userEvent.setup();
    renderWithMantine(<Harness interactions={[]} />);
    expect(screen.queryByRole('menuitem', { name: 'Available' })).toBeNull();

    await user.keyboard('{Alt>}{Shift>}s{/Shift}{/Alt}');
    expect(await screen.findByRole('menuitem', { name: 'Available' })).toBeTruthy();
    // Focus goes into the menu, so the arrow keys move through its items.
    expect(screen.getByRole('menu').contains(document.activeElement)).toBe(true);
  });

  it('leaves a key press to the text field being typed in, but not to a read-only one', async () => {
    const hold = vi.spyOn(api, 'holdCall').mockResolvedValue(agent);
    const user = userEvent.setup();
    renderWithMantine(<Harness interactions={[buildInteraction({})]} />);

    await user.click(screen.getByRole('textbox', { name: 'Notes' }));
    await user.keyboard('{Alt>}{Shift>}h{/Shift}{/Alt}');
    expect(hold).not.toHaveBeenCalled();

    await user.click(screen.getByRole('textbox', { name: 'Outcome' }));
    await user.keyboard('{Alt>}{Shift>}h{/Shift}{/Alt}');
    expect(hold).toHaveBeenCalledTimes(1);
  });
});
