import { ApiError } from '@parley/client';
import type { AgentInteraction, AgentState } from '@parley/contract';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState, buildCall, CALL_ID } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { InteractionCard } from '../interactions/InteractionCard';
import { InteractionsArea } from '../interactions/InteractionsArea';

const serverState = buildAgentState();

function renderCard(call: AgentInteraction, agentAssistEnabled: boolean) {
  const view = renderWithMantine(
    <InteractionCard
      interaction={call}
      recordingControlsVisible
      agentAssistEnabled={agentAssistEnabled}
      wrapCodes={[]}
      outcome={null}
      onSessionExpired={vi.fn()}
    />,
  );
  return {
    card: () => within(screen.getByRole('article', { name: call.label })),
    /** The server's next state for the call, as the realtime channel brings it. */
    update: (next: AgentInteraction) =>
      view.rerender(
        <InteractionCard
          interaction={next}
          recordingControlsVisible
          agentAssistEnabled={agentAssistEnabled}
          wrapCodes={[]}
          outcome={null}
          onSessionExpired={vi.fn()}
        />,
      ),
  };
}

const assistButton = (card: ReturnType<typeof within>) =>
  card.queryByRole('button', { name: 'Agent Assist' });

describe('Agent Assist on the call card', () => {
  it('is not offered when the workspace has Agent Assist off', () => {
    const { card } = renderCard(buildCall(), false);
    expect(card().getByRole('button', { name: 'Toggle call hold' })).toBeTruthy();
    expect(assistButton(card())).toBeNull();
  });

  it('is offered on a live call only when the workspace enables it', () => {
    const live = renderCard(buildCall(), true);
    expect(assistButton(live.card())).not.toBeNull();
    live.update(buildCall({ state: 'wrapping' }));
    expect(assistButton(live.card())).toBeNull();
  });

  it('asks for help; once the server says so the card reads "Help requested" and the control rests', async () => {
    let answer: (state: AgentState) => void = () => {};
    const request = vi.spyOn(api, 'requestAssist').mockReturnValue(
      new Promise<AgentState>((resolve) => {
        answer = resolve;
      }),
    );
    const user = userEvent.setup();
    const { card, update } = renderCard(buildCall(), true);
    expect(card().queryByText('Help requested')).toBeNull();

    const button = assistButton(card()) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    await user.click(button);
    expect(request).toHaveBeenCalledExactlyOnceWith(CALL_ID);
    // On its way: not sent twice.
    expect(button.disabled).toBe(true);
    await act(async () => answer(serverState));

    update(buildCall({ assistRequested: true }));
    expect(card().getByRole('status').textContent).toBe('Help requested');
    const asked = assistButton(card()) as HTMLButtonElement;
    // Pressed, not greyed out; a second click asks nothing more.
    expect(asked.getAttribute('aria-pressed')).toBe('true');
    expect(asked.disabled).toBe(false);
    await user.click(asked);
    expect(request).toHaveBeenCalledTimes(1);

    // A manager joined: the request is answered, and help may be asked for again.
    update(buildCall({ assistRequested: false }));
    expect(card().queryByText('Help requested')).toBeNull();
    expect((assistButton(card()) as HTMLButtonElement).getAttribute('aria-pressed')).toBe('false');
  });

  it('shows the server refusing, as the other call controls do', async () => {
    vi.spyOn(api, 'requestAssist').mockRejectedValue(
      new ApiError(403, 'AGENT_ASSIST_OFF', 'Agent Assist is turned off in this workspace', undefined),
    );
    const user = userEvent.setup();
    const { card } = renderCard(buildCall(), true);

    await user.click(assistButton(card()) as HTMLElement);
    expect((await card().findByRole('alert')).textContent).toBe(
      'Agent Assist is turned off in this workspace',
    );
    expect(card().queryByText('Help requested')).toBeNull();
  });

  it('the toolbar passes the workspace setting down to each call card', () => {
    vi.spyOn(api, 'interactionPanel').mockReturnValue(new Promise(() => {}));
    vi.spyOn(api, 'campaignAnnouncements').mockReturnValue(new Promise(() => {}));
    const call = buildCall();
    const view = renderWithMantine(
      <InteractionsArea
        interactions={[call]}
        recordingControlsVisible
        agentAssistEnabled
        onSessionExpired={vi.fn()}
      />,
    );
    const card = () => within(screen.getByRole('article', { name: call.label }));
    expect(assistButton(card())).not.toBeNull();

    view.rerender(
      <InteractionsArea
        interactions={[call]}
        recordingControlsVisible
        agentAssistEnabled={false}
        onSessionExpired={vi.fn()}
      />,
    );
    expect(assistButton(card())).toBeNull();
  });
});
