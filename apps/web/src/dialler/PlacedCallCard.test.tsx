import { ApiError } from '@parley/client';
import type { AgentInteraction, DialProgress } from '@parley/contract';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { buildAgentState, buildCall, CALL_ID } from '../testing/agentState';
import { renderWithMantine } from '../testing/renderWithMantine';
import { InteractionCard } from '../toolbar/interactions/InteractionCard';

const TO = '+442079460000';

function placedCall(dial: DialProgress, overrides: Partial<AgentInteraction> = {}): AgentInteraction {
  return buildCall({ label: 'Ann Lee', dial, ...overrides });
}

function renderCard(call: AgentInteraction) {
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

type Card = ReturnType<typeof renderCard>;

const CALL_CONTROLS = ['Toggle call hold', 'Transfer', 'Tag call recording', 'Dial pad', 'Hang Up'];
const controlsShown = (card: Card) => CALL_CONTROLS.filter((name) => card.queryByRole('button', { name }));

describe('a call the agent placed, on its card', () => {
  it('dialling: says who is dialled and offers Cancel call only, which ends the dialling', async () => {
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(buildAgentState());
    const card = renderCard(placedCall({ state: 'dialling', to: TO }));

    expect(card.getByRole('status').textContent).toBe(`Dialling ${TO}`);
    expect(card.getByText('Calling')).toBeTruthy();
    expect(controlsShown(card)).toEqual([]);
    await userEvent.setup().click(card.getByRole('button', { name: 'Cancel call' }));
    expect(end).toHaveBeenCalledWith(CALL_ID);
  });

  it('ringing: says so, still with Cancel call and no call controls', () => {
    const card = renderCard(placedCall({ state: 'ringing', to: TO }));
    expect(card.getByRole('status').textContent).toBe(`Ringing ${TO}`);
    expect(card.getByRole('button', { name: 'Cancel call' })).toBeTruthy();
    expect(controlsShown(card)).toEqual([]);
  });

  it('answered: the call controls and Hang Up, as any call; no Cancel call', () => {
    const card = renderCard(placedCall({ state: 'answered', to: TO }));
    expect(card.getByText('Talking')).toBeTruthy();
    expect(card.queryByText(`Dialling ${TO}`)).toBeNull();
    expect(card.queryByRole('button', { name: 'Cancel call' })).toBeNull();
    expect(controlsShown(card)).toEqual(CALL_CONTROLS);
  });

  it('an Agent Call, answered: recording and Hang Up only (no customer to hold, transfer or send keys to)', () => {
    const card = renderCard(placedCall({ state: 'answered', to: 'Ben Agent' }, { callType: 'agent' }));
    expect(controlsShown(card)).toEqual(['Tag call recording', 'Hang Up']);
    expect(card.queryByRole('button', { name: 'Options' })).toBeNull();
  });

  it('failed: the reason stands out on the wrapping card, which wraps as any call', () => {
    const card = renderCard(
      placedCall({ state: 'failed', to: TO, reason: 'The line is busy' }, { state: 'wrapping' }),
    );
    const alert = card.getByRole('alert');
    expect(alert.textContent).toContain('The line is busy');
    expect(alert.textContent).toContain(TO);
    expect(controlsShown(card)).toEqual([]);
    expect(card.getByRole('button', { name: 'Wrap Call' })).toBeTruthy();
  });
});

describe('the Dial pad during a call', () => {
  async function openDialPad() {
    const card = renderCard(placedCall({ state: 'answered', to: TO }));
    await userEvent.setup().click(card.getByRole('button', { name: 'Dial pad' }));
    return within(screen.getByRole('dialog', { name: 'Dial pad' }));
  }

  it('sends each key to the far end as it is pressed, and shows the keys sent', async () => {
    const send = vi.spyOn(api, 'sendDigits').mockResolvedValue(undefined);
    const dialog = await openDialPad();
    const user = userEvent.setup();

    await user.click(dialog.getByRole('button', { name: '1' }));
    await waitFor(() => expect(send).toHaveBeenCalledWith(CALL_ID, '1'));
    await user.click(dialog.getByRole('button', { name: '#' }));
    // The keyboard's keys work as the pad's.
    fireEvent.keyDown(document.body, { key: '5' });
    await waitFor(() => expect(send).toHaveBeenCalledTimes(3));
    expect(send.mock.calls).toEqual([
      [CALL_ID, '1'],
      [CALL_ID, '#'],
      [CALL_ID, '5'],
    ]);
    expect(dialog.getByRole('status', { name: 'Keys sent' }).textContent).toBe('1#5');
  });

  it('keys go one after another, so the far end hears them in the order pressed', async () => {
    let answerFirst: () => void = () => {};
    const send = vi
      .spyOn(api, 'sendDigits')
      .mockReturnValueOnce(
        new Promise<void>((resolve) => {
          answerFirst = resolve;
        }),
      )
      .mockResolvedValue(undefined);
    const dialog = await openDialPad();
    const user = userEvent.setup();

    await user.click(dialog.getByRole('button', { name: '2' }));
    await user.click(dialog.getByRole('button', { name: '3' }));
    await waitFor(() => expect(send).toHaveBeenCalledOnce());
    await act(async () => answerFirst());
    await waitFor(() => expect(send).toHaveBeenLastCalledWith(CALL_ID, '3'));
  });

  it("a key that cannot be sent shows the server's message", async () => {
    vi.spyOn(api, 'sendDigits').mockRejectedValue(
      new ApiError(409, 'VOICE_NOT_CONNECTED', 'Your voice connection is down', undefined),
    );
    const dialog = await openDialPad();
    await userEvent.setup().click(dialog.getByRole('button', { name: '9' }));
    expect((await dialog.findByRole('alert')).textContent).toBe('Your voice connection is down');
  });
});
