import type { AgentStatus } from '@parley/contract';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { renderWithMantine } from '../testing/renderWithMantine';
import { TopBarActions } from '../toolbar/top-bar/TopBarActions';
import { DiallerDialog } from './DiallerDialog';
import { useDialler } from './useDialler';

const paused: AgentStatus = { kind: 'paused', reasonId: null, reasonName: 'Lunch' };

/** The top bar's actions and the dialog they open, as the toolbar wires them. */
function TopBarWithDialler() {
  const dialler = useDialler();
  return (
    <>
      <TopBarActions actions={dialler.actions} shown={dialler.actions.length} />
      <DiallerDialog open={dialler.open} status={paused} onClose={dialler.close} onSessionExpired={vi.fn()} />
    </>
  );
}

describe('useDialler', () => {
  it("the top bar's Manual Call and Agent Call open their dialogs, and Close closes them", async () => {
    vi.spyOn(api, 'dialCampaigns').mockResolvedValue([]);
    vi.spyOn(api, 'transferAgents').mockResolvedValue([]);
    const user = userEvent.setup();
    renderWithMantine(<TopBarWithDialler />);

    await user.click(screen.getByRole('button', { name: 'Manual Call' }));
    expect(screen.getByRole('dialog', { name: 'Manual Call' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Agent Call' }));
    expect(screen.getByRole('dialog', { name: 'Agent Call' })).toBeTruthy();
  });
});
