import { ApiError } from '@parley/client';
import type { AgentInteraction, AgentState } from '@parley/contract';
import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState, buildCall, CALL_ID } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import type { WrapCode } from './InteractionActions';
import { InteractionCard } from './InteractionCard';

const sale: WrapCode = {
  id: '00000000-0000-4000-8000-00000000000a',
  name: 'Sale',
  completesLead: false,
  completesPhoneNumber: false,
  schedulesCallback: false,
};
const noSale: WrapCode = {
  id: '00000000-0000-4000-8000-00000000000b',
  name: 'No sale',
  completesLead: false,
  completesPhoneNumber: false,
  schedulesCallback: false,
};

function buildInteraction(overrides: Partial<AgentInteraction> = {}): AgentInteraction {
  return buildCall({ label: '+44 20 7946 0000', ...overrides });
}

/** What the server answers with; the card takes its next state from the realtime channel instead. */
const serverState = buildAgentState();

interface CardOptions {
  recordingControlsVisible?: boolean;
  wrapCodes?: WrapCode[] | undefined;
  /** The Outcome chosen in the information panel. */
  outcome?: string | null;
}

function renderCard(interaction: AgentInteraction, options: CardOptions = {}) {
  const { recordingControlsVisible = true, outcome = null } = options;
  // Undefined is a state of its own here (outcomes still loading), not "take the default".
  const wrapCodes = 'wrapCodes' in options ? options.wrapCodes : [sale, noSale];
  renderWithMantine(
    <InteractionCard
      interaction={interaction}
      recordingControlsVisible={recordingControlsVisible}
      wrapCodes={wrapCodes}
      outcome={outcome}
      onSessionExpired={vi.fn()}
    />,
  );
  return within(screen.getByRole('article', { name: interaction.label }));
}

function isDisabled(element: HTMLElement): boolean {
  return (element as HTMLButtonElement).disabled;
}

/** The card's timer as read out: its hidden description, then the time. */
function timer(card: ReturnType<typeof renderCard>, description: string): string | undefined {
  return card.getByText(description, { exact: false }).parentElement?.textContent ?? undefined;
}

const CALL_CONTROLS = [
  'Toggle call hold',
  'Transfer',
  'Tag call recording',
  'Start call recording',
  'Stop call recording',
];

function callControlsShown(card: ReturnType<typeof renderCard>): string[] {
  return CALL_CONTROLS.filter((name) => card.queryByRole('button', { name }));
}

/**
 * A click whose request settles in virtual time: the brief notice it brings lasts its 3 s
 * however slow the machine is. (User events wait on real timers, so these tests click directly.)
 */
async function clickInVirtualTime(element: HTMLElement) {
  fireEvent.click(element);
  await act(() => vi.advanceTimersByTimeAsync(0));
}

describe('InteractionCard', () => {
  describe('offered', () => {
    it('a call rings in the Web Connect tab: no Accept here, and no call controls yet', () => {
      const card = renderCard(buildInteraction({ state: 'offered' }));
      expect(card.getByText('Offered')).toBeTruthy();
      expect(card.getByText('Ringing: answer it in your Web Connect tab')).toBeTruthy();
      expect(card.queryByRole('button', { name: 'Accept' })).toBeNull();
      expect(callControlsShown(card)).toEqual([]);
    });

    it('a chat is accepted from the card', async () => {
      const accept = vi.spyOn(api, 'acceptInteraction').mockResolvedValue(serverState);
      const user = userEvent.setup();
      const card = renderCard(buildInteraction({ kind: 'chat', state: 'offered', label: 'Ada' }));

      const button = card.getByRole('button', { name: 'Accept' });
      expect(isDisabled(button)).toBe(false);
      await user.click(button);
      expect(accept).toHaveBeenCalledWith(CALL_ID);
    });
  });

  describe('busy (talking)', () => {
    it('a call shows Hang Up and its hold, transfer, tag and recording controls, all enabled', async () => {
      const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(serverState);
      const user = userEvent.setup();
      const card = renderCard(buildInteraction());

      expect(card.getByText('Talking')).toBeTruthy();
      expect(callControlsShown(card)).toEqual([
        'Toggle call hold',
        'Transfer',
        'Tag call recording',
        'Start call recording',
      ]);
      for (const name of [
        'Toggle call hold',
        'Transfer',
        'Tag call recording',
        'Start call recording',
        'Hang Up',
      ]) {
        expect(isDisabled(card.getByRole('button', { name }))).toBe(false);
      }
      expect(card.queryByRole('combobox', { name: 'Outcome' })).toBeNull();

      await user.click(card.getByRole('button', { name: 'Hang Up' }));
      expect(end).toHaveBeenCalledWith(CALL_ID);
    });

    it('hides the recording control when the workspace turns it off', () => {
      const card = renderCard(buildInteraction(), { recordingControlsVisible: false });
      expect(callControlsShown(card)).toEqual(['Toggle call hold', 'Transfer', 'Tag call recording']);
    });

    it('with a second line (connecting, connected or a conference) there is no hold and no Transfer', () => {
      for (const consult of [
        { label: 'Billing IVR', state: 'ringing', active: 'customer' },
        { label: 'Agent Two', state: 'connected', active: 'consulted' },
        { label: 'Agent Two', state: 'connected', active: 'customer' },
        { label: 'Agent Two', state: 'connected', active: 'conference' },
      ] as const) {
        const { unmount } = renderWithMantine(
          <InteractionCard
            interaction={buildInteraction({ consult })}
            recordingControlsVisible
            wrapCodes={[]}
            outcome={null}
            onSessionExpired={vi.fn()}
          />,
        );
        const card = within(screen.getByRole('article'));
        expect(callControlsShown(card), consult.active).toEqual([
          'Tag call recording',
          'Start call recording',
        ]);
        expect(card.getByRole('group', { name: 'Lines' })).toBeTruthy();
        unmount();
      }
    });

    it('a running recording offers to stop it', async () => {
      vi.useFakeTimers();
      const record = vi.spyOn(api, 'recordCall').mockResolvedValue(serverState);
      const card = renderCard(buildInteraction({ recording: true }));

      const stop = card.getByRole('button', { name: 'Stop call recording' });
      expect(stop.getAttribute('aria-pressed')).toBe('true');
      await clickInVirtualTime(stop);
      expect(record).toHaveBeenCalledWith(CALL_ID, false);
      expect(card.getByRole('status').textContent).toBe('Recording stopped');
    });

    it('places the call on hold, and the controls wait while the request is on its way', async () => {
      let answer: (state: AgentState) => void = () => {};
      const hold = vi.spyOn(api, 'holdCall').mockReturnValue(
        new Promise<AgentState>((resolve) => {
          answer = resolve;
        }),
      );
      vi.useFakeTimers();
      const card = renderCard(buildInteraction());

      const toggle = card.getByRole('button', { name: 'Toggle call hold' });
      expect(toggle.getAttribute('aria-pressed')).toBe('false');
      await clickInVirtualTime(toggle);
      expect(hold).toHaveBeenCalledWith(CALL_ID, true);
      expect(isDisabled(toggle)).toBe(true);
      expect(isDisabled(card.getByRole('button', { name: 'Start call recording' }))).toBe(true);

      await act(async () => answer(serverState));
      expect(isDisabled(toggle)).toBe(false);
      expect(card.getByRole('status').textContent).toBe('Call on hold');
    });

    it('a chat has End Chat and no call controls', () => {
      const card = renderCard(buildInteraction({ kind: 'chat', label: 'Ada' }));
      expect(card.getByText('Chatting')).toBeTruthy();
      expect(card.getByRole('button', { name: 'End Chat' })).toBeTruthy();
      expect(callControlsShown(card)).toEqual([]);
    });
  });

  describe('held', () => {
    it('reads "On hold", timed from when the call was put on hold', () => {
      vi.useFakeTimers({ now: Date.UTC(2026, 2, 2, 9, 10) });
      const card = renderCard(
        buildInteraction({
          held: true,
          since: new Date(Date.UTC(2026, 2, 2, 9, 5)).toISOString(),
          heldSince: new Date(Date.UTC(2026, 2, 2, 9, 9, 30)).toISOString(),
        }),
      );

      expect(card.queryByText('Talking')).toBeNull();
      expect(card.getByText('On hold')).toBeTruthy();
      expect(timer(card, 'On hold for')).toBe('On hold for 00:30');
    });

    it('back from hold, it reads "Talking" again, timed from the start of the call', () => {
      vi.useFakeTimers({ now: Date.UTC(2026, 2, 2, 9, 10) });
      const card = renderCard(
        buildInteraction({ held: false, since: new Date(Date.UTC(2026, 2, 2, 9, 5)).toISOString() }),
      );

      expect(card.queryByText('On hold')).toBeNull();
      expect(timer(card, 'Talking for')).toBe('Talking for 05:00');
    });

    it('shows hold pressed, and the toggle retrieves the call', async () => {
      vi.useFakeTimers();
      const hold = vi.spyOn(api, 'holdCall').mockResolvedValue(serverState);
      const card = renderCard(buildInteraction({ held: true }));

      const toggle = card.getByRole('button', { name: 'Toggle call hold' });
      expect(toggle.getAttribute('aria-pressed')).toBe('true');
      await clickInVirtualTime(toggle);
      expect(hold).toHaveBeenCalledWith(CALL_ID, false);
      expect(card.getByRole('status').textContent).toBe('Call retrieved from hold');

      // The notice is brief.
      await act(() => vi.advanceTimersByTimeAsync(2999));
      expect(card.queryByRole('status')).not.toBeNull();
      await act(() => vi.advanceTimersByTimeAsync(1));
      expect(card.queryByRole('status')).toBeNull();
    });
  });

  describe('wrapping', () => {
    it('Wrap Call waits for an Outcome: disabled, and the agent is told why', () => {
      const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(serverState);
      const card = renderCard(buildInteraction({ state: 'wrapping' }));

      expect(card.getByText('Wrapping')).toBeTruthy();
      expect(callControlsShown(card)).toEqual([]);
      expect(card.queryByRole('button', { name: 'Hang Up' })).toBeNull();
      // The Outcome is chosen in the information panel, not on the card.
      expect(card.queryByRole('combobox', { name: 'Outcome' })).toBeNull();

      const button = card.getByRole('button', { name: 'Wrap Call' });
      expect(isDisabled(button)).toBe(true);
      expect(card.getByText('Choose an Outcome before wrapping').id).toBe(
        button.getAttribute('aria-describedby'),
      );
      fireEvent.click(button);
      expect(wrap).not.toHaveBeenCalled();
    });

    it('wraps with the Outcome chosen in the information panel', async () => {
      const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(serverState);
      const user = userEvent.setup();
      const card = renderCard(buildInteraction({ state: 'wrapping' }), { outcome: noSale.id });

      expect(card.queryByText('Choose an Outcome before wrapping')).toBeNull();
      const button = card.getByRole('button', { name: 'Wrap Call' });
      expect(isDisabled(button)).toBe(false);
      await user.click(button);
      expect(wrap).toHaveBeenCalledWith(CALL_ID, { wrapCodeId: noSale.id });
      expect(card.queryByRole('alert')).toBeNull();
    });

    it('the server refusing the wrap is shown', async () => {
      vi.spyOn(api, 'wrapInteraction').mockRejectedValue(
        new ApiError(400, 'OUTCOME_REQUIRED', 'Choose an Outcome before wrapping', undefined),
      );
      const user = userEvent.setup();
      const card = renderCard(buildInteraction({ state: 'wrapping' }), { wrapCodes: undefined });

      await user.click(card.getByRole('button', { name: 'Wrap Call' }));
      expect((await card.findByRole('alert')).textContent).toBe('Choose an Outcome before wrapping');
    });

    it('while the outcomes load, the server judges the wrap', async () => {
      const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(serverState);
      const user = userEvent.setup();
      const card = renderCard(buildInteraction({ state: 'wrapping' }), { wrapCodes: undefined });

      await user.click(card.getByRole('button', { name: 'Wrap Call' }));
      expect(wrap).toHaveBeenCalledWith(CALL_ID, {});
    });

    it('a campaign without outcomes wraps without asking for one', async () => {
      const wrap = vi.spyOn(api, 'wrapInteraction').mockResolvedValue(serverState);
      const user = userEvent.setup();
      const card = renderCard(buildInteraction({ state: 'wrapping' }), { wrapCodes: [] });

      expect(card.queryByText('Choose an Outcome before wrapping')).toBeNull();
      await user.click(card.getByRole('button', { name: 'Wrap Call' }));
      expect(wrap).toHaveBeenCalledWith(CALL_ID, {});
    });
  });
});
