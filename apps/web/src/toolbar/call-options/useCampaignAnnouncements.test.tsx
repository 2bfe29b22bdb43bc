import type { AgentInteraction, Announcement } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildCall } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { InteractionsArea } from '../interactions/InteractionsArea';

const SUPPORT = '00000000-0000-4000-8000-0000000000ca';
const SALES = '00000000-0000-4000-8000-0000000000cb';
const welcome: Announcement = {
  id: '00000000-0000-4000-8000-0000000000e1',
  campaignId: SUPPORT,
  name: 'Welcome',
  durationMs: 12_000,
  sizeBytes: 192_000,
  createdAt: new Date().toISOString(),
  audioUrl: `/api/campaigns/${SUPPORT}/announcements/00000000-0000-4000-8000-0000000000e1/audio`,
};

// Placed calls: an inbound call's Options menu holds Convert to Outbound whatever the announcements.
const calls: AgentInteraction[] = [
  buildCall({ id: '00000000-0000-4000-8000-0000000000c1', label: 'First caller', callType: 'manual' }),
  buildCall({ id: '00000000-0000-4000-8000-0000000000c2', label: 'Second caller', callType: 'manual' }),
  buildCall({
    id: '00000000-0000-4000-8000-0000000000c3',
    label: 'Sales caller',
    campaignId: SALES,
    campaignName: 'Sales',
    callType: 'manual',
  }),
];

const options = (label: string) =>
  within(screen.getByRole('article', { name: label })).queryByRole('button', { name: 'Options' });

describe('useCampaignAnnouncements', () => {
  it("fetches each campaign's announcements once; Options only where there are some", async () => {
    vi.spyOn(api, 'interactionPanel').mockReturnValue(new Promise(() => {}));
    const list = vi
      .spyOn(api, 'campaignAnnouncements')
      .mockImplementation(async (campaignId) => (campaignId === SUPPORT ? [welcome] : []));
    const view = renderWithMantine(
      <InteractionsArea interactions={calls} recordingControlsVisible onSessionExpired={vi.fn()} />,
    );

    await waitFor(() => expect(options('First caller')).not.toBeNull());
    expect(options('Second caller')).not.toBeNull();
    expect(options('Sales caller')).toBeNull();
    expect(list.mock.calls.map(([campaignId]) => campaignId).sort()).toEqual([SUPPORT, SALES]);

    // A new state of the same calls asks again for nothing.
    view.rerender(
      <InteractionsArea
        interactions={calls.map((c) => ({ ...c, held: true }))}
        recordingControlsVisible
        onSessionExpired={vi.fn()}
      />,
    );
    expect(list).toHaveBeenCalledTimes(2);
  });
});
