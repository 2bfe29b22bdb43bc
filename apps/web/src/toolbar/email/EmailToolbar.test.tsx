import type { AgentInteraction, QueueSummary, SendEmailOptions } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState, buildCall } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { fakeChannel } from '../chat/testChats';
import { InteractionsArea } from '../interactions/InteractionsArea';
import { TopBarActions } from '../top-bar/TopBarActions';
import { loadEmailEditor } from './EmailComposer';
import { EmailNotices } from './EmailNotices';
import { SendEmailDialog } from './SendEmailDialog';
import {
  buildDraft,
  buildEmailInteraction,
  buildEmailPanel,
  buildEmailView,
  EMAIL_CAMPAIGN,
  EMAIL_ID,
  TEMPLATE_ID,
} from './testEmails';
import { useEmailToolbar } from './useEmailToolbar';
import { withShownInteraction } from './withShownInteraction';

type Channel = ReturnType<typeof fakeChannel>;

function emailQueue(waiting: number): QueueSummary {
  return {
    campaignId: EMAIL_CAMPAIGN,
    campaignName: 'Support Email',
    campaignKind: 'email',
    waiting,
    oldestSince: waiting > 0 ? '2026-12-07T09:00:00.000Z' : null,
  };
}
const chatQueue: QueueSummary = {
  campaignId: '00000000-0000-4000-8000-0000000000cc',
  campaignName: 'Web Chat',
  campaignKind: 'chat',
  waiting: 5,
  oldestSince: '2026-12-07T09:00:00.000Z',
};

/** The top bar's email icons, the notices and the interactions area, as the toolbar puts them together. */
function Harness(props: { interactions: AgentInteraction[]; queues: QueueSummary[]; channel: Channel }) {
  const email = useEmailToolbar({
    interactions: props.interactions,
    queues: props.queues,
    subscribe: props.channel.subscribe,
    onSessionExpired: () => {},
  });
  return (
    <>
      <TopBarActions actions={email.actions} shown={email.actions.length} />
      <EmailNotices email={email} />
      <InteractionsArea
        interactions={props.interactions}
        recordingControlsVisible={false}
        centre={withShownInteraction(undefined, email.wanted, () => email.setWanted(undefined))}
        onSessionExpired={() => {}}
      />
      {email.options && (
        <SendEmailDialog
          key={String(email.sendDialogOpen)}
          opened={email.sendDialogOpen}
          options={email.options}
          onClose={email.closeSendDialog}
          onCreated={email.setWanted}
          onSessionExpired={() => {}}
        />
      )}
    </>
  );
}

function renderToolbar(interactions: AgentInteraction[], queues: QueueSummary[]) {
  const channel = fakeChannel();
  const view = renderWithMantine(<Harness interactions={interactions} queues={queues} channel={channel} />);
  return {
    channel,
    rerender: (next: AgentInteraction[], nextQueues = queues) =>
      view.rerender(<Harness interactions={next} queues={nextQueues} channel={channel} />),
  };
}

const OPTIONS: SendEmailOptions = {
  enabled: true,
  campaigns: [
    { id: EMAIL_CAMPAIGN, name: 'Support Email', templates: [{ id: TEMPLATE_ID, name: 'Apology' }] },
    { id: '00000000-0000-4000-8000-0000000000cf', name: 'Renewals', templates: [] },
  ],
};

// The editor's code (ProseMirror) is loaded once, before the tests, however long that takes on a
// busy machine: the composer then shows the editor in its first render, as for a second email.
beforeAll(() => loadEmailEditor().then(() => undefined), 60_000);

beforeEach(() => {
  vi.spyOn(api, 'sendEmailOptions').mockResolvedValue({ enabled: false, campaigns: [] });
  vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildEmailPanel());
  vi.spyOn(api, 'email').mockResolvedValue(buildEmailView());
  vi.spyOn(api, 'campaignAnnouncements').mockResolvedValue([]);
});

describe('the Email Queue icon', () => {
  it('counts the emails waiting in the email queues, and opens the next in the script area', async () => {
    const user = userEvent.setup();
    const call = buildCall({ state: 'wrapping' });
    const next = vi
      .spyOn(api, 'nextEmail')
      .mockResolvedValue(buildAgentState({ interactions: [call, buildEmailInteraction()] }));
    const toolbar = renderToolbar([call], [emailQueue(2), chatQueue, { ...emailQueue(1), campaignId: 'x' }]);
    const icon = screen.getByRole('button', { name: 'Email Queue' });
    expect(icon.getAttribute('aria-describedby')).toBeTruthy();
    expect(
      screen.getByRole('button', { name: 'Email Queue', description: '3 emails waiting, opens the next' }),
    ).toBe(icon);
    expect(icon.closest('.mantine-Indicator-root')?.textContent).toContain('3');
    // No Send Email icon without the administrator's leave.
    await waitFor(() => expect(api.sendEmailOptions).toHaveBeenCalled());
    expect(screen.queryByRole('button', { name: 'Send Email' })).toBeNull();

    await user.click(icon);
    expect(next).toHaveBeenCalledOnce();
    // The realtime channel brings the email; it is the one shown, not the call above it.
    toolbar.rerender([call, buildEmailInteraction()], [emailQueue(1)]);
    expect(await screen.findByRole('region', { name: 'Order 42 has not arrived' })).toBeTruthy();
    expect(
      screen.getByRole('button', { name: 'Email Queue', description: '1 email waiting, opens it' }),
    ).toBeTruthy();
  });

  it('says none wait instead of asking the server, and says why the server opened none', async () => {
    const user = userEvent.setup();
    const next = vi.spyOn(api, 'nextEmail');
    const toolbar = renderToolbar([], [emailQueue(0)]);
    const icon = screen.getByRole('button', { name: 'Email Queue', description: 'No emails waiting' });
    await user.click(icon);
    expect(next).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toContain('No emails are waiting in your queues.');
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();

    const { ApiError } = await import('@parley/client');
    next.mockRejectedValue(new ApiError(409, 'EMAIL_LIMIT_REACHED', 'Limit', undefined));
    toolbar.rerender([], [emailQueue(4)]);
    await user.click(screen.getByRole('button', { name: 'Email Queue' }));
    expect(next).toHaveBeenCalledOnce();
    expect((await screen.findByRole('alert')).textContent).toContain(
      'You have as many emails open as you may',
    );
  });

  it('an offered email is accepted as other interactions are', async () => {
    const user = userEvent.setup();
    const accept = vi.spyOn(api, 'acceptInteraction').mockResolvedValue(buildAgentState());
    renderToolbar([buildEmailInteraction({ state: 'offered' })], [emailQueue(0)]);
    const card = within(screen.getByRole('article', { name: 'kim@example.com' }));
    await user.click(card.getByRole('button', { name: 'Accept' }));
    expect(accept).toHaveBeenCalledWith(EMAIL_ID);
    expect(api.email).not.toHaveBeenCalled();
  });
});

describe('a failed email', () => {
  it('raises a notice naming the subject and the error', async () => {
    const user = userEvent.setup();
    const toolbar = renderToolbar([], [emailQueue(0)]);
    toolbar.channel.push({
      name: 'email.failed',
      data: {
        interactionId: EMAIL_ID,
        messageId: '00000000-0000-4000-8000-0000000009f1',
        subject: 'Re: Order 42 has not arrived',
        error: '550 5.1.1 kim@example.com: mailbox unavailable',
      },
    });
    const notice = screen.getByRole('alert');
    expect(notice.textContent).toContain('Email not delivered: Re: Order 42 has not arrived');
    expect(notice.textContent).toContain('550 5.1.1 kim@example.com: mailbox unavailable');
    await user.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('Send Email', () => {
  it('opens a dialog: Campaign, Email Template (or blank), New Email opens the composer', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'sendEmailOptions').mockResolvedValue(OPTIONS);
    const created = vi.spyOn(api, 'newEmail').mockResolvedValue({ interactionId: EMAIL_ID });
    vi.spyOn(api, 'email').mockResolvedValue(
      buildEmailView({ message: null, draft: buildDraft({ mode: 'new', subject: 'We are sorry' }) }),
    );
    const toolbar = renderToolbar([], [emailQueue(0)]);
    await user.click(await screen.findByRole('button', { name: 'Send Email' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Send Email' }));
    const newEmail = dialog.getByRole('button', { name: 'New Email' }) as HTMLButtonElement;
    expect(newEmail.disabled).toBe(true);

    await user.click(dialog.getByRole('combobox', { name: 'Campaign' }));
    await user.click(screen.getByRole('option', { name: 'Support Email' }));
    expect((dialog.getByRole('combobox', { name: 'Email Template' }) as HTMLInputElement).value).toBe(
      'Blank email',
    );
    await user.click(dialog.getByRole('combobox', { name: 'Email Template' }));
    await user.click(screen.getByRole('option', { name: 'Apology' }));
    await user.click(newEmail);
    expect(created).toHaveBeenCalledWith({ campaignId: EMAIL_CAMPAIGN, templateId: TEMPLATE_ID });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Send Email' })).toBeNull());

    toolbar.rerender([buildEmailInteraction({ label: 'New email' })]);
    const composer = within(await screen.findByRole('region', { name: 'New Email' }));
    expect((composer.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe(
      'We are sorry',
    );
    expect(composer.getByRole('button', { name: 'Send and wrap email' })).toBeTruthy();
  });

  it('a blank template is sent as none, and a refusal is said in the dialog', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'sendEmailOptions').mockResolvedValue(OPTIONS);
    const { ApiError } = await import('@parley/client');
    const created = vi
      .spyOn(api, 'newEmail')
      .mockRejectedValue(new ApiError(409, 'EMAIL_NO_MAILBOX', 'No mailbox', undefined));
    renderToolbar([], [emailQueue(0)]);
    await user.click(await screen.findByRole('button', { name: 'Send Email' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Send Email' }));
    await user.click(dialog.getByRole('combobox', { name: 'Campaign' }));
    await user.click(screen.getByRole('option', { name: 'Renewals' }));
    await user.click(dialog.getByRole('button', { name: 'New Email' }));
    expect(created).toHaveBeenCalledWith({
      campaignId: '00000000-0000-4000-8000-0000000000cf',
      templateId: null,
    });
    expect((await dialog.findByRole('alert')).textContent).toContain(
      'This campaign has no mailbox to send from.',
    );
  });
});
