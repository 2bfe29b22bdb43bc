// A stand-in platform for trying the chat widget without a workspace, channel or agent:
//   npm run build:chat -w @parley/widget && node apps/widget/chat-demo/mock-platform.mjs
// then open http://localhost:8091/ (a "website" on its own origin) and click "Chat with us".
// The platform (chat.js, the chat socket, attachments) is http://localhost:8090. A scripted
// agent, "Alex (demo)", takes the chat, types and answers. Open http://localhost:8090/drop to cut
// every socket (the widget reconnects and resumes), or add ?for=10 to refuse connections for
// 10 s meanwhile. Chats live in this process's memory only: after a restart the widget is told
// its chat is gone and shows the survey again.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

const here = path.dirname(fileURLToPath(import.meta.url));
const PLATFORM_PORT = Number(process.env.PLATFORM_PORT ?? 8090);
const SITE_PORT = Number(process.env.SITE_PORT ?? 8091);
const CHANNEL = '00000000-0000-4000-8000-00000000c4a7';
const platform = `http://localhost:${PLATFORM_PORT}`;

const channel = {
  name: 'Demo Shop support',
  survey: [
    { key: 'name', label: 'Your name', type: 'text', required: true },
    { key: 'email', label: 'Email', type: 'email', required: false },
    { key: 'phone', label: 'Phone', type: 'phone', required: false },
    { key: 'topic', label: 'Topic', type: 'choice', required: true, options: ['Orders', 'Returns', 'Other'] },
  ],
  open: process.env.CLOSED !== '1',
  offlineMessage: 'We are closed now. Our hours are 9:00 to 17:00, Monday to Friday.',
};

/** token → chat */
const chats = new Map();
const files = new Map();

function add(chat, from, text, extra = {}) {
  const message = {
    seq: chat.messages.length + 1,
    from,
    name: from === 'agent' ? 'Alex (demo)' : null,
    text,
    at: new Date().toISOString(),
    clientId: null,
    attachment: null,
    ...extra,
  };
  chat.messages.push(message);
  broadcast(chat, { type: 'message', message });
  return message;
}

function broadcast(chat, frame) {
  for (const ws of chat.sockets) if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
}

function agentSays(chat, text, delay = 1500) {
  setTimeout(() => broadcast(chat, { type: 'typing', typing: true, name: 'Alex (demo)' }), 300);
  setTimeout(() => {
    if (chat.state !== 'ended') add(chat, 'agent', text);
  }, delay);
}

function startAgent(chat) {
  setTimeout(() => {
    chat.state = 'active';
    broadcast(chat, { type: 'state', state: 'active', agentName: 'Alex (demo)' });
    add(chat, 'system', 'Alex (demo) joined the chat');
    agentSays(
      chat,
      `Hi ${chat.survey.name ?? 'there'}, how can I help? Our terms: https://example.com/terms.`,
    );
  }, 1500);
}

function handleFrame(ws, state, frame) {
  const send = (f) => ws.send(JSON.stringify(f));
  const chat = state.chat;
  if (frame.type === 'ping') return send({ type: 'pong', t: frame.t });
  if (frame.type === 'hello') {
    if (frame.channelId !== CHANNEL) {
      send({ type: 'error', code: 'NOT_FOUND', message: 'No such chat channel' });
      return ws.close(4003, 'refused');
    }
    send({ type: 'channel', channel });
    if (!frame.resume) return;
    const resumed = chats.get(frame.resume.token);
    if (!resumed) return send({ type: 'error', code: 'CHAT_TOKEN_INVALID', message: 'That chat is over' });
    state.chat = resumed;
    resumed.sockets.add(ws);
    send({
      type: 'chat',
      chatId: resumed.id,
      token: resumed.token,
      state: resumed.state,
      agentName: 'Alex (demo)',
    });
    for (const m of resumed.messages.filter((m) => m.seq > frame.resume.seq))
      send({ type: 'message', message: m });
    return;
  }
  if (frame.type === 'start') {
    const created = {
      id: randomUUID(),
      token: randomUUID(),
      state: 'queued',
      survey: frame.survey,
      messages: [],
      sockets: new Set([ws]),
    };
    chats.set(created.token, created);
    state.chat = created;
    send({ type: 'chat', chatId: created.id, token: created.token, state: 'queued', agentName: null });
    return startAgent(created);
  }
  if (!chat) return;
  if (frame.type === 'message') {
    if (chat.state === 'ended')
      return send({ type: 'error', code: 'CHAT_ENDED', message: 'The chat has ended' });
    const stored = chat.messages.find((m) => m.clientId === frame.clientId);
    if (stored) return send({ type: 'message', message: stored });
    const message = add(chat, 'customer', frame.text, { clientId: frame.clientId });
    setTimeout(() => broadcast(chat, { type: 'read', seq: message.seq }), 800);
    agentSays(chat, `You said: ${frame.text}`, 2500);
  } else if (frame.type === 'end') {
    chat.state = 'ended';
    add(chat, 'system', 'The chat has ended');
    broadcast(chat, { type: 'state', state: 'ended', agentName: 'Alex (demo)' });
    ws.close(4004, 'chat ended');
  }
}

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'content-type, x-chat-token, x-file-name',
  'access-control-allow-methods': 'POST, GET',
};

let downUntil = 0;

const platformServer = createServer((req, res) => {
  const url = new URL(req.url ?? '/', platform);
  if (url.pathname === '/drop') {
    downUntil = Date.now() + 1000 * Number(url.searchParams.get('for') ?? 0);
    for (const ws of wss.clients) ws.terminate();
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end(
      `Dropped every chat socket; refusing new ones until ${new Date(downUntil).toISOString()}\n`,
    );
  }
  if (url.pathname === '/chat.js') {
    const script = readFileSync(path.join(here, '../dist/chat.js'));
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
    return res.end(script);
  }
  if (url.pathname === '/api/public/chat/attachments' && req.method === 'OPTIONS') {
    res.writeHead(204, cors);
    return res.end();
  }
  if (url.pathname === '/api/public/chat/attachments' && req.method === 'POST') {
    const chat = chats.get(String(req.headers['x-chat-token']));
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => {
      if (!chat) {
        res.writeHead(401, { ...cors, 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { code: 'CHAT_TOKEN_INVALID', message: 'Unknown chat' } }));
      }
      const body = Buffer.concat(parts);
      const attachment = {
        id: randomUUID(),
        name: decodeURIComponent(String(req.headers['x-file-name'] ?? 'file')),
        contentType: String(req.headers['content-type']),
        size: body.length,
      };
      files.set(attachment.id, { attachment, body, token: chat.token });
      const message = add(chat, 'customer', '', { attachment });
      res.writeHead(201, { ...cors, 'content-type': 'application/json' });
      res.end(JSON.stringify(message));
    });
    return;
  }
  const file = files.get(url.pathname.split('/').pop());
  if (file && url.searchParams.get('token') === file.token) {
    res.writeHead(200, {
      'content-type': file.attachment.contentType,
      'content-disposition': `attachment; filename="${encodeURIComponent(file.attachment.name)}"`,
    });
    return res.end(file.body);
  }
  res.writeHead(404).end();
});

const wss = new WebSocketServer({ server: platformServer, path: '/api/public/chat' });
wss.on('connection', (ws) => {
  if (Date.now() < downUntil) return ws.terminate();
  const state = { chat: undefined };
  ws.on('message', (data) => handleFrame(ws, state, JSON.parse(String(data))));
  ws.on('close', () => state.chat?.sockets.delete(ws));
});

const siteServer = createServer((req, res) => {
  const page = readFileSync(path.join(here, '../chat-demo.html'), 'utf8');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(page);
  void req;
});

platformServer.listen(PLATFORM_PORT, () => siteServer.listen(SITE_PORT));
console.log(`Mock platform on ${platform}; the demo website: http://localhost:${SITE_PORT}/`);
console.log(`(its defaults: ?platform=${platform}&channel=${CHANNEL})`);
