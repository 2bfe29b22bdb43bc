import type { CallInDetails } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { renderWithMantine } from '../testing/renderWithMantine';
import { ConnectVoiceDialog } from './ConnectVoiceDialog';

const callIn: CallInDetails = {
  agentId: 4711,
  pin: '2468',
  numbers: [{ number: '+44 20 7946 0100', name: 'London' }],
  expiresAt: new Date(Date.now() + 300_000).toISOString(),
};

function renderDialog(onClose = vi.fn()) {
  // The Call me and Call in panels ask the server for their details when chosen.
  vi.spyOn(api, 'callMeDefault').mockResolvedValue({ default: null });
  vi.spyOn(api, 'callInDetails').mockResolvedValue(callIn);
  renderWithMantine(<ConnectVoiceDialog opened onClose={onClose} voice="none" />);
  return { dialog: within(screen.getByRole('dialog', { name: 'Connect Voice' })), onClose };
}

function isChecked(element: HTMLElement): boolean {
  return (element as HTMLInputElement).checked;
}

describe('ConnectVoiceDialog', () => {
  it('offers the three voice modes, Web Connect and a persistent connection first', () => {
    const { dialog } = renderDialog();
    const modes = within(dialog.getByRole('radiogroup', { name: 'Voice connectivity mode' }));
    expect(modes.getAllByRole('radio').map((radio) => radio.getAttribute('value'))).toEqual([
      'web',
      'call-me',
      'call-in',
    ]);
    expect(isChecked(dialog.getByRole('radio', { name: 'Web Connect' }))).toBe(true);
    expect(isChecked(dialog.getByRole('radio', { name: 'Persistent Connection' }))).toBe(true);
    expect(isChecked(dialog.getByRole('radio', { name: 'Non-persistent Connection' }))).toBe(false);
  });

  it('Web Connect opens its tab in the connection type chosen, then closes', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(window);
    const user = userEvent.setup();
    const { dialog, onClose } = renderDialog();

    await user.click(dialog.getByRole('radio', { name: 'Non-persistent Connection' }));
    await user.click(dialog.getByRole('button', { name: 'Connect' }));
    expect(open).toHaveBeenCalledWith('/web-connect?mode=non-persistent', 'parley-web-connect');
    expect(onClose).toHaveBeenCalled();
  });

  it('says so when the browser blocks the Web Connect tab, and stays open', async () => {
    vi.spyOn(window, 'open').mockReturnValue(null);
    const user = userEvent.setup();
    const { dialog, onClose } = renderDialog();

    await user.click(dialog.getByRole('button', { name: 'Connect' }));
    expect(dialog.getByText(/Your browser blocked the Web Connect tab/)).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
  });

  it('Call me to connect sends the number, the connection type and "Save as default"', async () => {
    const callMe = vi.spyOn(api, 'callMe').mockResolvedValue({ state: 'calling' });
    const user = userEvent.setup();
    const { dialog } = renderDialog();

    await user.click(dialog.getByRole('radio', { name: 'Call me to connect' }));
    const connect = dialog.getByRole('button', { name: 'Connect' }) as HTMLButtonElement;
    // No number, nothing to call.
    expect(connect.disabled).toBe(true);
    expect(isChecked(dialog.getByRole('checkbox', { name: 'Save as default' }))).toBe(false);

    await user.type(dialog.getByRole('textbox', { name: 'Phone number or extension' }), '+44 7700 900123');
    await user.click(dialog.getByRole('radio', { name: 'Non-persistent Connection' }));
    await user.click(dialog.getByRole('checkbox', { name: 'Save as default' }));
    await user.click(connect);

    expect(callMe).toHaveBeenCalledWith({
      destination: '+44 7700 900123',
      persistent: false,
      saveAsDefault: true,
    });
    expect((await dialog.findByRole('status')).textContent).toBe('Calling you… answer your phone.');
  });

  it('Call me to connect starts from the saved default', async () => {
    const user = userEvent.setup();
    const { dialog } = renderDialog();
    vi.spyOn(api, 'callMeDefault').mockResolvedValue({
      default: { destination: 'sip:desk-12@office.example', persistent: false },
    });

    await user.click(dialog.getByRole('radio', { name: 'Call me to connect' }));
    const number = dialog.getByRole('textbox', { name: 'Phone number or extension' }) as HTMLInputElement;
    await waitFor(() => expect(number.value).toBe('sip:desk-12@office.example'));
    expect(isChecked(dialog.getByRole('radio', { name: 'Non-persistent Connection' }))).toBe(true);
    expect(isChecked(dialog.getByRole('checkbox', { name: 'Save as default' }))).toBe(true);
  });

  it('Call in to connect shows the agent ID, the dial-in number and the PIN; nothing to connect here', async () => {
    const user = userEvent.setup();
    const { dialog, onClose } = renderDialog();

    await user.click(dialog.getByRole('radio', { name: 'Call in to connect' }));
    const details = within(await dialog.findByRole('group', { name: 'Call-in details' }));
    expect(details.getByText('4711')).toBeTruthy();
    expect(details.getByText('2468')).toBeTruthy();
    expect((details.getByRole('combobox', { name: 'Dial-in number' }) as HTMLSelectElement).value).toBe(
      '+44 20 7946 0100',
    );
    // Call-in is always persistent: no connection type to choose.
    expect(dialog.queryByRole('radiogroup', { name: 'Connection type' })).toBeNull();
    expect(dialog.queryByRole('button', { name: 'Connect' })).toBeNull();

    // The dialog's own Close, below the details (the other is the title bar's).
    const [, close] = dialog.getAllByRole('button', { name: 'Close' });
    expect(close?.textContent).toBe('Close');
    if (close) await user.click(close);
    expect(onClose).toHaveBeenCalled();
  });
});
