import IconMail from '@tabler/icons-react/icons/IconMail';
import IconPhoneOutgoing from '@tabler/icons-react/icons/IconPhoneOutgoing';
import IconUsers from '@tabler/icons-react/icons/IconUsers';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { TopBarActions } from './TopBarActions';
import type { TopBarAction } from './topBarAction';
import { topBarFitAt } from './topBarFit';

function buildActions(onSendEmail: () => void): TopBarAction[] {
  return [
    { kind: 'button', label: 'Manual Call', icon: IconPhoneOutgoing, onClick: () => undefined },
    { kind: 'button', label: 'Agent Call', icon: IconUsers, onClick: () => undefined },
    { kind: 'button', label: 'Send Email', icon: IconMail, onClick: onSendEmail },
  ];
}

describe('TopBarActions', () => {
  it('shows every action as a named icon button when all fit, and no "More"', () => {
    renderWithMantine(<TopBarActions actions={buildActions(() => undefined)} shown={3} />);
    for (const name of ['Manual Call', 'Agent Call', 'Send Email'])
      expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'More' })).toBeNull();
  });

  it('folds the actions with no room into "More", where they still work', async () => {
    const onSendEmail = vi.fn();
    renderWithMantine(<TopBarActions actions={buildActions(onSendEmail)} shown={1} />);
    expect(screen.getByRole('button', { name: 'Manual Call' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Send Email' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'More' }));
    expect(screen.getByRole('menuitem', { name: 'Agent Call' })).toBeTruthy();
    await userEvent.click(screen.getByRole('menuitem', { name: 'Send Email' }));
    expect(onSendEmail).toHaveBeenCalledOnce();
  });
});

describe('topBarFitAt', () => {
  it('gives up words before controls, folds actions from the last, and narrows the status last', () => {
    const steps = Array.from({ length: 8 }, (_, step) => topBarFitAt(step, 3));
    expect(steps.map((f) => [f.showWorkspace, f.showUser, f.showBrand])).toEqual([
      [true, true, true],
      [false, true, true],
      [false, false, true],
      ...Array.from({ length: 5 }, () => [false, false, false]),
    ]);
    expect(steps.map((f) => f.shownActions)).toEqual([3, 3, 3, 3, 2, 1, 0, 0]);
    expect(steps.map((f) => f.shrinkStatus)).toEqual([false, false, false, false, false, false, false, true]);
  });
});
