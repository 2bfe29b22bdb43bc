// npm run bench:status-fanout: time from an agent's status request to the pushed change arriving
// on each of that agent's other open toolbars (real server, PGlite, loopback WebSockets).
import { performance } from 'node:perf_hooks';
import type { SocketLike } from '@parley/client';
import { RealtimeClient } from '@parley/client';
import { WebSocket } from 'ws';
import { startTestServer } from '../test/helpers.js';

const ROUNDS = Number(process.env.ROUNDS ?? 300);
const TOOLBARS = 3;

const server = await startTestServer();
const agent = await server.signIn('agent1');
const reasons = await agent.pauseReasons(server.workspaceId).list();
const url = `${server.url.replace('http', 'ws')}/api/realtime`;
const toolbars = [];
for (let i = 0; i < TOOLBARS; i++) {
  const c = await server.signIn('agent1');
  const rt = new RealtimeClient({
    connect: () =>
      new WebSocket(url, {
        headers: { cookie: c.sessionCookie ?? '', origin: server.url },
      }) as unknown as SocketLike,
  });
  rt.start();
  toolbars.push(rt);
}
while (toolbars.some((t) => t.connectionStatus !== 'open')) await new Promise((r) => setTimeout(r, 10));

const label = (rt: RealtimeClient) => {
  const s = rt.state?.agent.status;
  return s?.kind === 'paused' ? s.reasonName : (s?.kind ?? '');
};

const samples: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const reason = reasons[i % reasons.length];
  const choice =
    i % 2 === 0 || !reason
      ? { kind: 'available' as const }
      : { kind: 'paused' as const, reasonId: reason.id };
  const want = choice.kind === 'available' ? 'available' : (reason?.name ?? '');
  const started = performance.now();
  const arrived = toolbars.map(
    (rt) =>
      new Promise<number>((resolve) => {
        if (label(rt) === want) return resolve(performance.now());
        const off = rt.subscribe({
          state: () => {
            if (label(rt) === want) {
              off();
              resolve(performance.now());
            }
          },
        });
      }),
  );
  await agent.setStatus(choice);
  for (const t of await Promise.all(arrived)) samples.push(t - started);
}

samples.sort((a, b) => a - b);
const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))] ?? 0;
console.log(
  `status change -> ${TOOLBARS} toolbars of the agent, ${ROUNDS} changes (${samples.length} deliveries)`,
);
console.log(
  `  p50 ${pct(50).toFixed(1)} ms   p95 ${pct(95).toFixed(1)} ms   p99 ${pct(99).toFixed(1)} ms   max ${pct(100).toFixed(1)} ms`,
);
for (const t of toolbars) t.stop();
await server.close();
