import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ChatSession } from './chat-session';
import { ChatStorage, MemoryStore } from './saved-chat';
import { FakeSocket, VirtualTimers } from './test-support';

/*
 * The widget's view in jsdom (the toolbar's component tests use it too): what a customer sees
 * and can press, found by accessible names as the end-to-end tests will. jsdom has no types
 * here, so it is loaded by a name TypeScript does not resolve.
 */
interface JsdomWindow {
  document: Document;
  close(): void;
  KeyboardEvent: typeof KeyboardEvent;
  Event: typeof Event;
}
type JsdomModule = { JSDOM: new (html: string, options?: object) => { window: JsdomWindow } };

let win: JsdomWindow;
const globals = globalThis as unknown as Record<string, unknown>;

before(async () => {
  const specifier = 'jsdom';
  const { JSDOM } = (await import(specifier)) as JsdomModule;
  win = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true }).window;
  globals.window = win;
  globals.document = win.document;
});

after(() => {
  win.close();
  delete globals.window;
  delete globals.document;
});

const CHANNEL = '6f1c1c5e-1111-4222-8333-944444444444';
const survey = [
  { key: 'name', label: 'Your name', type: 'text', required: true },
  { key: 'email', label: 'Email', type: 'email', required: false },
  { key: 'phone', label: 'Phone', type: 'phone', required: false },
  { key: 'topic', label: 'Topic', type: 'choice', required: true, options: ['Orders', 'Returns'] },
];

async function mountWidget() {
  const { ChatWidget } = await import('./chat-widget');
  const sockets: FakeSocket[] = [];
  let ids = 0;
  const session = new ChatSession({
    channelId: CHANNEL,
    socketUrl: 'wss://platform.example/api/public/chat',
    storage: new ChatStorage(CHANNEL, new MemoryStore()),
    openSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    timers: new VirtualTimers(),
    newId: () => `id${++ids}`,
  });
  const widget = new ChatWidget({ origin: 'https://platform.example', session });
  document.body.append(widget.host);
  const root = widget.host.shadowRoot;
  assert.ok(root, 'the widget lives in a shadow root');
  const socket = () => {
    const s = sockets.at(-1);
    assert.ok(s, 'a socket is open');
    return s;
  };
  /** A button by its accessible name (aria-label, else its text). */
  const button = (name: string) => {
    const found = [...root.querySelectorAll('button')].find(
      (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name && !b.closest('[hidden]'),
    );
    assert.ok(found, `a visible button named ${name}`);
    return found;
  };
  const field = (label: string) => {
    const el = [...root.querySelectorAll('label')].find((l) => l.firstChild?.textContent === label);
    const control = el && root.getElementById(el.htmlFor);
    assert.ok(control, `a control labelled ${label}`);
    return control as HTMLInputElement | HTMLSelectElement;
  };
  const log = () => {
    const el = root.querySelector('[role="log"]');
    assert.equal(el?.getAttribute('aria-label'), 'Messages');
    return el as HTMLElement;
  };
  return { root, session, socket, button, field, log, host: widget.host };
}

function type(control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string) {
  control.value = value;
  control.dispatchEvent(new win.Event('input', { bubbles: true }));
}

function message(seq: number, from: string, text: string, clientId: string | null = null) {
  return {
    type: 'message',
    message: {
      seq,
      from,
      name: from === 'agent' ? 'Alex' : null,
      text,
      at: '2026-12-07T10:00:00.000Z',
      clientId,
      attachment: null,
    },
  };
}

test('a customer opens the widget, answers the survey, chats, and ends the chat', async () => {
  const w = await mountWidget();
  assert.equal(w.host.style.getPropertyValue('all'), 'initial', 'no page style reaches in');
  const launcher = w.button('Chat with us');
  assert.equal(launcher.getAttribute('aria-expanded'), 'false');
  launcher.click();
  assert.equal(launcher.getAttribute('aria-expanded'), 'true');
  w.socket().open();
  w.socket().receive({
    type: 'channel',
    channel: { name: 'Demo Shop', survey, open: true, offlineMessage: '' },
  });
  assert.equal(w.root.querySelector('h2')?.textContent, 'Demo Shop');

  // The survey: labelled controls of the fields' types; required ones checked before sending.
  assert.equal(w.field('Email').getAttribute('type'), 'email');
  assert.equal(w.field('Phone').getAttribute('type'), 'tel');
  const topic = w.field('Topic');
  assert.equal(topic.tagName, 'SELECT');
  assert.deepEqual(
    [...(topic as HTMLSelectElement).options].map((o) => o.value),
    ['', 'Orders', 'Returns'],
  );
  w.button('Start chat').click();
  assert.equal(w.socket().frames('start').length, 0);
  assert.equal(w.field('Your name').getAttribute('aria-invalid'), 'true');
  assert.match(w.root.textContent ?? '', /Your name is required/);
  type(w.field('Your name'), 'Ana');
  type(topic, 'Returns');
  w.button('Start chat').click();
  assert.deepEqual(w.socket().frames('start'), [
    { type: 'start', survey: { name: 'Ana', topic: 'Returns' } },
  ]);
  w.socket().receive({ type: 'chat', chatId: 'c1', token: 'tok', state: 'queued', agentName: null });
  w.socket().receive({ type: 'state', state: 'active', agentName: 'Alex' });
  assert.match(w.root.textContent ?? '', /Chatting with Alex/);

  // Markup in a message is text; only http(s) addresses are links, opened safely.
  w.socket().receive(
    message(1, 'agent', '<img src=x onerror="alert(1)"><script>alert(2)</script> https://example.com/help'),
  );
  assert.equal(w.log().querySelectorAll('img, script').length, 0);
  assert.match(w.log().textContent ?? '', /<img src=x onerror="alert\(1\)"><script>alert\(2\)<\/script>/);
  const link = w.log().querySelector('a');
  assert.equal(link?.getAttribute('href'), 'https://example.com/help');
  assert.equal(link?.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(link?.getAttribute('target'), '_blank');
  assert.match(w.log().textContent ?? '', /Alex/);
  w.socket().receive({ type: 'typing', typing: true, name: 'Alex' });
  assert.match(w.root.textContent ?? '', /Alex is typing…/);

  // Enter sends, Shift+Enter does not; the message goes Sending, Sent, Read.
  const box = w.root.querySelector('textarea');
  assert.ok(box);
  assert.equal(box.getAttribute('aria-label'), 'Your message');
  assert.equal(box.maxLength, 2000);
  type(box, 'line one');
  box.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true }));
  assert.equal(w.socket().frames('message').length, 0);
  box.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  assert.deepEqual(w.socket().frames('message'), [{ type: 'message', clientId: 'id1', text: 'line one' }]);
  assert.deepEqual(
    w
      .socket()
      .frames('typing')
      .map((f) => f.typing),
    [true, false],
  );
  assert.equal(box.value, '');
  const mark = () => w.log().querySelector('.delivery')?.getAttribute('aria-label');
  assert.equal(mark(), 'Sending');
  w.socket().receive(message(2, 'customer', 'line one', 'id1'));
  assert.equal(mark(), 'Sent');
  w.socket().receive({ type: 'read', seq: 2 });
  assert.equal(mark(), 'Read');
  assert.equal(w.log().querySelectorAll('.msg.customer').length, 1, 'the ack replaced the pending row');

  // A file: one link, downloaded from the platform with the chat's token.
  const attachment = { id: 'f-1', name: 'invoice.pdf', contentType: 'application/pdf', size: 10 };
  const withFile = message(3, 'customer', 'invoice.pdf', 'attachment:f-1');
  w.socket().receive({ ...withFile, message: { ...withFile.message, attachment } });
  const file = [...w.log().querySelectorAll('a')].find((a) => a.textContent?.includes('invoice.pdf'));
  assert.equal(
    file?.getAttribute('href'),
    'https://platform.example/api/public/chat/attachments/f-1?token=tok',
  );
  assert.equal(file?.getAttribute('download'), 'invoice.pdf');
  assert.equal(w.log().lastElementChild?.querySelector('.bubble')?.textContent, '📎 invoice.pdf');

  // End chat asks first; the transcript stays after the end, with "Start a new chat".
  w.button('End chat').click();
  assert.equal(w.socket().frames('end').length, 0);
  w.button('Yes, end').click();
  assert.deepEqual(w.socket().frames('end'), [{ type: 'end' }]);
  w.socket().receive({ type: 'state', state: 'ended', agentName: 'Alex' });
  assert.equal(w.log().querySelectorAll('.msg').length, 3);
  w.button('Download transcript');
  w.button('Start a new chat');
  assert.equal(
    w.root.querySelector('textarea')?.closest('[hidden]') !== null,
    true,
    'no composer once ended',
  );
});

test('outside hours only the offline message shows', async () => {
  const w = await mountWidget();
  w.button('Chat with us').click();
  w.socket().open();
  w.socket().receive({
    type: 'channel',
    channel: { name: 'Demo Shop', survey, open: false, offlineMessage: 'Back at <b>9</b>' },
  });
  assert.match(w.root.textContent ?? '', /Back at <b>9<\/b>/);
  assert.equal(w.root.querySelectorAll('form, b').length, 0);
  w.host.remove();
});
