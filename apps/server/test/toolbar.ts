import assert from 'node:assert/strict';
import { type HttpClient, RealtimeClient, type SocketLike } from '@parley/client';
import type { CampaignKind, ClientEventName, Snapshot, User } from '@parley/contract';
import { WebSocket } from 'ws';
import type { TestServer } from './helpers.js';

/** A toolbar's realtime channel as the browser has it, for integration tests. */
export function openToolbar(server: TestServer, client: HttpClient) {
  const url = `${server.url.replace('http', 'ws')}/api/realtime`;
  const rt = new RealtimeClient({
    connect: () =>
      new WebSocket(url, {
        headers: { cookie: client.sessionCookie ?? '', origin: server.url },
      }) as unknown as SocketLike,
    maxBackoffMs: 200,
  });
  const applied: ClientEventName[] = [];
  let snapshots = 0;
  rt.subscribe({
    state: (_s, cause) => {
      if (cause === 'snapshot') snapshots++;
      else applied.push(cause.name);
    },
  });
  rt.start();
  return {
    rt,
    applied,
    snapshots: () => snapshots,
    state: (): Snapshot => {
      assert.ok(rt.state, 'no snapshot yet');
      return rt.state;
    },
  };
}

export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function statusName(s: Snapshot): string {
  const st = s.agent.status;
  return st.kind === 'paused' ? st.reasonName : st.kind;
}

let built = 0;

/**
 * A team of its own, serving one campaign of its own, with fresh agents signed in: a test that
 * uses it shares no queue and no agent with any other test, so it runs alone and fails alone.
 */
export async function buildTeam(
  server: TestServer,
  admin: HttpClient,
  options: { kind?: CampaignKind; script?: string; agents?: number } = {},
) {
  const ws = server.workspaceId;
  const n = ++built;
  const team = await admin.teams(ws).create({ name: `Team ${n}` });
  const campaign = await admin.campaigns(ws).create({
    name: `Campaign ${n}`,
    kind: options.kind ?? 'chat',
    script: options.script ?? '',
    teamIds: [team.id],
  });
  const wrapCode = await admin.wrapCodes(ws, campaign.id).create({ name: `Resolved ${n}` });
  const agents: { user: User; password: string; client: HttpClient }[] = [];
  for (let i = 1; i <= (options.agents ?? 1); i++) {
    const username = `built${n}-${i}`;
    const password = `password-of-${username}`;
    const user = await admin.users(ws).create({
      username,
      displayName: `Agent ${n}.${i}`,
      role: 'agent',
      password,
      teamIds: [team.id],
    });
    agents.push({ user, password, client: await server.signIn(username, password) });
  }
  return { team, campaign, wrapCode, agents };
}
