import type { AgentInteraction, InteractionPanel } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState, buildCall } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { InteractionsArea } from '../interactions/InteractionsArea';
import { buildChatInteraction, buildChatView, CAMPAIGN_ID, fakeChannel, KIM, LEE } from './testChats';

const SAM = '00000000-0000-4000-8000-00000000c003';

import { useChatPanel } from './useChatPanel';

const ENQUEUED = '2026-12-07T09:00:00.000Z';
const ACCEPTED = '2026-12-07T09:02:05.000Z';

function buildChatPanel(id: string, name: string, answers: [string, string][]): InteractionPanel {
  return {
    id,
    kind: 'chat',
    campaignId: CAMPAIGN_ID,
    campaignName: 'Web Chat',
    script: 'Greet the customer.',
    callType: 'Chat',
    customerPhone: null,
    platformPhone: null,
    ivrData: null,
    ivrText: null,
    enqueuedAt: ENQUEUED,
    acceptedAt: ACCEPTED,
    endedAt: null,
    notes: '',
    transferNotes: '',
    wrapCodes: [],
    wrapCodeId: null,
    lead: null,
    chat: {
      chatId: `${id.slice(0, -4)}cafe`,
      contactName: name,
      survey: answers.map(([label, value]) => ({ key: label.toLowerCase(), label, value })),
    },
  };
}

/** The interactions area with the Chat Panel in its middle, as the toolbar composes them. */
function Toolbarish({ interactions }: { interactions: AgentInteraction[] }) {
  const chat = useChatPanel({
    interactions,
    subscribe: fakeChannel().subscribe,
    agentName: 'Alice Agent',
    onSessionExpired: () => {},
  });
  return (
    <InteractionsArea
      interactions={interactions}
      recordingControlsVisible={false}
      centre={chat.renderPanel}
      belowCentre={chat.belowPanel}
      onSessionExpired={() => {}}
    />
  );
}

const field = (info: ReturnType<typeof within>, label: string) =>
  info.getByText(label).nextElementSibling?.textContent;

beforeEach(() => {
  window.sessionStorage.clear();
  vi.spyOn(api, 'waitingChats').mockResolvedValue({ chats: [], total: 0 });
  vi.spyOn(api, 'chatRead').mockResolvedValue();
  vi.spyOn(api, 'chat').mockImplementation(async (id) =>
    id === KIM ? buildChatView() : buildChatView({ interactionId: LEE, contactName: 'Lee' }),
  );
  vi.spyOn(api, 'interactionPanel').mockImplementation(async (id) =>
    id === KIM
      ? buildChatPanel(KIM, 'Kim', [
          ['Name', 'Kim'],
          ['Email', 'kim@example.com'],
        ])
      : buildChatPanel(LEE, 'Lee', [
          ['Name', 'Lee'],
          ['Order', 'A-77'],
        ]),
  );
});

describe('a chat on the toolbar', () => {
  it('shows the survey answers and the time in queue in the information panel, and follows the chosen tab', async () => {
    const user = userEvent.setup();
    renderWithMantine(
      <Toolbarish
        interactions={[
          buildChatInteraction({ id: KIM, label: 'Kim', since: ACCEPTED }),
          buildChatInteraction({ id: LEE, label: 'Lee', since: ACCEPTED }),
        ]}
      />,
    );
    const tabs = within(await screen.findByRole('tablist', { name: 'Active chats' }));
    await user.click(tabs.getByRole('tab', { name: 'Kim' }));
    const info = () => within(screen.getByRole('region', { name: 'Interaction information' }));
    await waitFor(() => expect(field(info(), 'Email')).toBe('kim@example.com'));
    expect(field(info(), 'Name')).toBe('Kim');
    expect(field(info(), 'Time in queue')).toBe('00:02:05');
    expect(info().getByText('Chatting Time')).toBeTruthy();

    await user.click(tabs.getByRole('tab', { name: 'Lee' }));
    await waitFor(() => expect(field(info(), 'Order')).toBe('A-77'));
    expect(screen.getByRole('article', { name: 'Lee' }).getAttribute('style')).toContain('border-color');
  });

  it('puts the Chat Panel above the cards of the chats it has tabs for, with calls and offers above it', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'campaignAnnouncements').mockResolvedValue([]);
    renderWithMantine(
      <Toolbarish
        interactions={[
          buildChatInteraction({ id: KIM, label: 'Kim' }),
          buildCall({ label: 'Caller' }),
          buildChatInteraction({ id: LEE, label: 'Lee' }),
          buildChatInteraction({ id: SAM, label: 'Sam', state: 'offered' }),
        ]}
      />,
    );
    await screen.findByRole('tablist', { name: 'Active chats' });
    const order = () =>
      [...document.querySelectorAll('article h3, section h2')].map((heading) => heading.textContent);
    expect(order()).toEqual([
      'Caller',
      'Sam',
      'Chat Panel',
      'Kim',
      'Lee',
      'Script',
      'Interaction information',
    ]);
    expect(
      within(screen.getByRole('article', { name: 'Kim' })).getByRole('button', { name: 'End Chat' }),
    ).toBeTruthy();

    // Closed, the cards are as they were, in the server's order.
    await user.click(screen.getByRole('button', { name: 'Close Chat Panel' }));
    expect(order()).toEqual(['Kim', 'Caller', 'Lee', 'Sam', 'Script', 'Interaction information']);
  });

  it('is ended with "End Chat" and wrapped with "Wrap Chat"', async () => {
    const user = userEvent.setup();
    const end = vi.spyOn(api, 'endInteraction').mockResolvedValue(buildAgentState());
    const view = renderWithMantine(<Toolbarish interactions={[buildChatInteraction()]} />);
    await screen.findByRole('tab', { name: 'Kim' });
    await user.click(
      within(screen.getByRole('article', { name: 'Kim' })).getByRole('button', { name: 'End Chat' }),
    );
    expect(end).toHaveBeenCalledWith(KIM);

    view.rerender(<Toolbarish interactions={[buildChatInteraction({ state: 'wrapping' })]} />);
    const card = within(screen.getByRole('article', { name: 'Kim' }));
    expect(card.getByRole('button', { name: 'Wrap Chat' })).toBeTruthy();
    // A chat being wrapped keeps its tab, to read back; nothing more can be sent.
    expect(await screen.findByRole('tab', { name: 'Kim', description: 'Ended' })).toBeTruthy();
  });
});
