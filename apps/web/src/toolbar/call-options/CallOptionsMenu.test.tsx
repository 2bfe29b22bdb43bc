import { ApiError } from '@parley/client';
import type { AgentInteraction, Announcement } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState, buildCall, CALL_ID } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { InteractionCard } from '../interactions/InteractionCard';

function buildAnnouncement(id: string, name: string, durationMs: number): Announcement {
  return {
    id,
    campaignId: '00000000-0000-4000-8000-0000000000ca',
    name,
    durationMs,
    sizeBytes: durationMs * 16,
    createdAt: new Date().toISOString(),
    audioUrl: `/api/campaigns/00000000-0000-4000-8000-0000000000ca/announcements/${id}/audio`,
  };
}

const welcome = buildAnnouncement('00000000-0000-4000-8000-0000000000e1', 'Welcome', 12_000);
const terms = buildAnnouncement('00000000-0000-4000-8000-0000000000e2', 'Terms and conditions', 95_000);

function renderCall(call: AgentInteraction, announcements: Announcement[] | undefined) {
  renderWithMantine(
    <InteractionCard
      interaction={call}
      recordingControlsVisible
      announcements={announcements}
      wrapCodes={[]}
      outcome={null}
      onSessionExpired={vi.fn()}
    />,
  );
  return within(screen.getByRole('article', { name: call.label }));
}

async function openPlayAnnouncement(card: ReturnType<typeof within>) {
  const user = userEvent.setup();
  await user.click(card.getByRole('button', { name: 'Options' }));
  await user.click(screen.getByRole('menuitem', { name: 'Play Announcement' }));
  return within(screen.getByRole('dialog', { name: 'Play Announcement' }));
}

describe('Options menu', () => {
  it('on a placed call, is not shown when the campaign has no announcements, nor while they load', () => {
    renderCall(buildCall({ callType: 'manual' }), []);
    expect(screen.queryByRole('button', { name: 'Options' })).toBeNull();
    renderCall(
      buildCall({ id: '00000000-0000-4000-8000-0000000000c2', label: 'Second', callType: 'manual' }),
      undefined,
    );
    expect(screen.queryByRole('button', { name: 'Options' })).toBeNull();
  });

  it('on an inbound call without announcements, holds Convert to Outbound only', async () => {
    const card = renderCall(buildCall(), []);
    await userEvent.setup().click(card.getByRole('button', { name: 'Options' }));
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Convert to Outbound']);
  });

  it('Play Announcement plays the announcement chosen, listed with its length', async () => {
    const play = vi.spyOn(api, 'playAnnouncement').mockResolvedValue(buildAgentState());
    const user = userEvent.setup();
    const dialog = await openPlayAnnouncement(renderCall(buildCall(), [welcome, terms]));

    const button = dialog.getByRole('button', { name: 'Play Announcement' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await user.click(dialog.getByRole('combobox', { name: 'Announcement' }));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Welcome (00:12)',
      'Terms and conditions (01:35)',
    ]);
    await user.click(screen.getByRole('option', { name: 'Terms and conditions (01:35)' }));
    await user.click(button);

    expect(play).toHaveBeenCalledWith(CALL_ID, terms.id);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Play Announcement' })).toBeNull());
  });

  it('a refusal is shown in the dialog, which stays open', async () => {
    vi.spyOn(api, 'playAnnouncement').mockRejectedValue(
      new ApiError(409, 'CALL_ON_HOLD', 'Retrieve the call from hold first', undefined),
    );
    const user = userEvent.setup();
    const dialog = await openPlayAnnouncement(renderCall(buildCall(), [welcome]));
    await user.click(dialog.getByRole('combobox', { name: 'Announcement' }));
    await user.click(screen.getByRole('option', { name: 'Welcome (00:12)' }));
    await user.click(dialog.getByRole('button', { name: 'Play Announcement' }));

    expect((await dialog.findByRole('alert')).textContent).toBe('Retrieve the call from hold first');
    expect(screen.getByRole('dialog', { name: 'Play Announcement' })).toBeTruthy();
  });
});

describe('the call card says', () => {
  it('which announcement is playing', () => {
    const card = renderCall(buildCall({ announcement: 'Welcome' }), [welcome]);
    expect(card.getByRole('status').textContent).toBe('Playing announcement: Welcome');
  });

  it('nothing of an announcement when none plays', () => {
    const card = renderCall(buildCall(), [welcome]);
    expect(card.queryByText(/Playing announcement/)).toBeNull();
  });

  it('who transferred the call here', () => {
    const card = renderCall(buildCall({ transferredBy: 'Agent One' }), []);
    expect(card.getByText('Transferred by Agent One')).toBeTruthy();
  });
});
