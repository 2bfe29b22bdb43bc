import { useHotkeys } from '@mantine/hooks';
import { ApiError } from '@parley/client';
import type { AgentInteraction } from '@parley/contract';
import { useEffect, useRef } from 'react';
import { api } from '../api';
import { describeError } from '../common/describeError';
import { hangUpAsksLeaveOrEnd } from './transfer/LeaveOrEndDialog';

export type ToolbarShortcutAction = 'answer' | 'hold' | 'hangUp' | 'status';

export interface ToolbarShortcut {
  action: ToolbarShortcutAction;
  /** For `useHotkeys`, matched on the physical key so that macOS's Option characters do not matter. */
  hotkey: string;
  /** As `aria-keyshortcuts` spells it, and as shown on Windows and Linux. */
  keys: string;
  /** As shown on a Mac. */
  macKeys: string;
  /** The control it stands for, in the guide's words. */
  label: string;
  /** What it does, for Help. */
  description: string;
}

/**
 * Alt+Shift+letter: plain Alt+letter opens browser menus (Firefox's Edit, History and Help;
 * Chrome's menu on Windows) and is Chrome's accesskey modifier; screen readers use Insert,
 * Caps Lock or Control+Option, not Alt+Shift.
 */
export const TOOLBAR_SHORTCUTS: Record<ToolbarShortcutAction, ToolbarShortcut> = {
  answer: {
    action: 'answer',
    hotkey: 'alt+shift+A',
    keys: 'Alt+Shift+A',
    macKeys: '⌥⇧A',
    label: 'Answer',
    description:
      'Answer: accept the offered interaction. A call is answered where it rings (your Web Connect tab or your phone).',
  },
  hold: {
    action: 'hold',
    hotkey: 'alt+shift+H',
    keys: 'Alt+Shift+H',
    macKeys: '⌥⇧H',
    label: 'Toggle call hold',
    description:
      'Toggle call hold: place the connected call on hold, or retrieve it from hold. Not while you have a second line (a consult or a conference).',
  },
  hangUp: {
    action: 'hangUp',
    hotkey: 'alt+shift+E',
    keys: 'Alt+Shift+E',
    macKeys: '⌥⇧E',
    label: 'Hang up call',
    description:
      'Hang up call: end the connected call; it goes to wrap-up. With a second line connected (a consult or a conference), you are asked whether to leave it to the others or end it for all.',
  },
  status: {
    action: 'status',
    hotkey: 'alt+shift+S',
    keys: 'Alt+Shift+S',
    macKeys: '⌥⇧S',
    label: 'Agent Status',
    description: 'Agent Status: open the status menu to choose Available or a pause reason.',
  },
};

/** Marks the status control of the top bar (StatusMenu's button; its menu owns the element's id). */
export const STATUS_BUTTON_ATTRIBUTE = 'data-status-button';

/**
 * Marks a connected call's Hang Up (the value is the call's id): with a second line connected the
 * shortcut presses it, so that the agent is asked, as with the button, whether to leave or end for all.
 */
export const HANG_UP_BUTTON_ATTRIBUTE = 'data-hang-up-call';

const NOT_TEXT_INPUTS = new Set([
  'button',
  'checkbox',
  'color',
  'file',
  'image',
  'radio',
  'range',
  'reset',
  'submit',
]);

/** Where a key press is typing: such a press is left to the field (macOS types characters with Option). */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement) return !target.readOnly;
  if (target instanceof HTMLInputElement) return !target.readOnly && !NOT_TEXT_INPUTS.has(target.type);
  return false;
}

/** A visually hidden polite live region of its own, so a shortcut's outcome is heard wherever focus is. */
function useAnnouncer(): (message: string) => void {
  const region = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const element = document.createElement('div');
    element.setAttribute('role', 'status');
    element.setAttribute('aria-live', 'polite');
    element.dataset.toolbarShortcuts = '';
    Object.assign(element.style, {
      position: 'absolute',
      width: '1px',
      height: '1px',
      overflow: 'hidden',
      clip: 'rect(0 0 0 0)',
      whiteSpace: 'nowrap',
    });
    document.body.append(element);
    region.current = element;
    return () => {
      element.remove();
      region.current = null;
    };
  }, []);
  return (message) => {
    if (region.current) region.current.textContent = message;
  };
}

export interface UseToolbarShortcutsOptions {
  /** The agent's interactions as the server reports them; undefined until the first snapshot. */
  interactions: AgentInteraction[] | undefined;
  onSessionExpired: () => void;
}

/**
 * Keyboard shortcuts for the toolbar's main controls: answer, hold, hang up and status. They ask
 * the server as the card's buttons do; what changes arrives over the realtime channel, and the
 * outcome (or why nothing happened) is announced.
 */
export function useToolbarShortcuts({ interactions, onSessionExpired }: UseToolbarShortcutsOptions): void {
  const announce = useAnnouncer();
  const sending = useRef(false);

  async function send(request: () => Promise<unknown>, done: string, failed: string) {
    if (sending.current) return;
    sending.current = true;
    try {
      await request();
      announce(done);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) onSessionExpired();
      else announce(`${failed}: ${describeError(failure)}`);
    } finally {
      sending.current = false;
    }
  }

  const list = interactions ?? [];
  // A call is answered where it rings; the toolbar's Accept is for chats and emails.
  const offered = list.find((i) => i.state === 'offered' && i.kind !== 'voice');
  const call = list.find((i) => i.state === 'busy' && i.kind === 'voice');

  const handlers: Record<ToolbarShortcutAction, () => void> = {
    answer: () => {
      if (!offered) return announce('No interaction to answer');
      void send(() => api.acceptInteraction(offered.id), `${offered.label} accepted`, 'Not answered');
    },
    hold: () => {
      if (!call) return announce('No connected call to hold');
      // As the card offers no hold then (the server refuses it once the line connects).
      if (call.consult) return announce('No hold while the call has a second line');
      const held = call.held === true;
      void send(
        () => api.holdCall(call.id, !held),
        held ? 'Call retrieved from hold' : 'Call on hold',
        held ? 'Not retrieved from hold' : 'Not held',
      );
    },
    hangUp: () => {
      if (!call) return announce('No connected call to hang up');
      if (hangUpAsksLeaveOrEnd(call)) {
        const button = document.querySelector<HTMLElement>(`[${HANG_UP_BUTTON_ATTRIBUTE}="${call.id}"]`);
        if (button) return button.click();
        return announce("Hang up from the call's card: leave the call to the others, or end it for all");
      }
      void send(() => api.endInteraction(call.id), 'Call ended', 'Not hung up');
    },
    status: () => {
      const button = document.querySelector<HTMLElement>(`[${STATUS_BUTTON_ATTRIBUTE}]`);
      button?.focus();
      button?.click();
    },
  };

  useHotkeys(
    Object.values(TOOLBAR_SHORTCUTS).map((shortcut) => [
      shortcut.hotkey,
      (event: KeyboardEvent) => {
        if (event.repeat || isTextEntry(event.target)) return;
        event.preventDefault();
        handlers[shortcut.action]();
      },
      { preventDefault: false, usePhysicalKeys: true },
    ]),
    [],
    true,
  );
}
