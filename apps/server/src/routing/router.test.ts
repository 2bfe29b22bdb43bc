import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContactKind } from '@parley/contract';
import { type RoutableAgent, type RoutableContact, Router } from './router.js';

let seq = 0;
function contact(id: string, over: Partial<RoutableContact> = {}): RoutableContact {
  seq += 1;
  return { id, campaignId: 'sales', kind: 'voice', priority: 0, enqueuedAt: 1000, seq, ...over };
}

function agent(id: string, over: Partial<RoutableAgent> = {}): RoutableAgent {
  return {
    id,
    campaignIds: new Set(['sales']),
    available: true,
    voiceReady: true,
    load: { voice: 0, chat: 0, email: 0 },
    maxChats: 5,
    maxEmails: 1,
    idleSince: 0,
    ...over,
  };
}

function router(agents: RoutableAgent[], contacts: RoutableContact[]): Router {
  const r = new Router();
  for (const a of agents) r.upsertAgent(a);
  for (const c of contacts) r.enqueue(c);
  return r;
}

const ids = (r: Router) => r.plan().map((m) => `${m.contactId}->${m.agentId}`);

describe('Router', () => {
  test('FIFO within a priority: earliest enqueuedAt, then lowest seq', () => {
    const r = router(
      [agent('a')],
      [
        contact('late', { enqueuedAt: 3000 }),
        contact('second', { enqueuedAt: 2000, seq: 20 }),
        contact('first', { enqueuedAt: 2000, seq: 10 }),
      ],
    );
    assert.equal(r.nextForAgent('a')?.id, 'first');
    r.remove('first');
    assert.equal(r.nextForAgent('a')?.id, 'second');
    r.remove('second');
    assert.equal(r.nextForAgent('a')?.id, 'late');
  });

  test('priority first, across the campaigns an agent serves', () => {
    const r = router(
      [agent('a', { campaignIds: new Set(['sales', 'support']) })],
      [
        contact('old', { enqueuedAt: 1 }),
        contact('vip', { campaignId: 'support', priority: 5, enqueuedAt: 9 }),
      ],
    );
    assert.equal(r.nextForAgent('a')?.id, 'vip');
  });

  test('the longest-idle eligible agent gets the contact; ties go to the smaller id', () => {
    const r = router(
      [agent('b', { idleSince: 50 }), agent('c', { idleSince: 10 }), agent('a', { idleSince: 50 })],
      [contact('x')],
    );
    assert.equal(r.bestAgentFor('x'), 'c');
    r.upsertAgent(agent('c', { idleSince: 10, available: false }));
    assert.equal(r.bestAgentFor('x'), 'a');
  });

  test('paused, voice-less, full and other-campaign agents are skipped', () => {
    const r = router(
      [
        agent('paused', { available: false, idleSince: 1 }),
        agent('noVoice', { voiceReady: false, idleSince: 2 }),
        agent('onChat', { load: { voice: 0, chat: 1, email: 0 }, idleSince: 3 }),
        agent('elsewhere', { campaignIds: new Set(['support']), idleSince: 4 }),
        agent('ok', { idleSince: 5 }),
      ],
      [contact('call')],
    );
    assert.equal(r.bestAgentFor('call'), 'ok');
    for (const id of ['paused', 'noVoice', 'onChat', 'elsewhere'])
      assert.equal(r.nextForAgent(id), undefined);
    assert.deepEqual(ids(r), ['call->ok']);
  });

  test('a requeued contact regains its original place at the head', () => {
    const first = contact('first', { enqueuedAt: 100 });
    const r = router([agent('a')], [first, contact('next', { enqueuedAt: 200 })]);
    assert.equal(r.nextForAgent('a')?.id, 'first');
    assert.equal(r.remove('first'), true);
    assert.equal(r.has('first'), false);
    r.enqueue(contact('later', { enqueuedAt: 300 }));
    assert.equal(r.nextForAgent('a')?.id, 'next');
    r.enqueue(first); // the offer was declined: back in the queue
    assert.equal(r.has('first'), true);
    assert.equal(r.nextForAgent('a')?.id, 'first');
    assert.equal(r.queueStats('sales').waiting, 3);
  });

  test('enqueue of a waiting id replaces it; remove of an unknown id is false', () => {
    const r = router([agent('a')], [contact('x', { priority: 0 }), contact('y', { priority: 1 })]);
    r.enqueue(contact('x', { priority: 2 }));
    assert.equal(r.queueStats('sales').waiting, 2);
    assert.equal(r.nextForAgent('a')?.id, 'x');
    assert.equal(r.remove('nope'), false);
  });

  test('voice is exclusive both ways', () => {
    const r = new Router();
    const busyOnCall = agent('a', { load: { voice: 1, chat: 0, email: 0 } });
    for (const kind of ['voice', 'chat', 'email'] as ContactKind[])
      assert.equal(r.canTake(busyOnCall, kind), false);
    const onChat = agent('b', { load: { voice: 0, chat: 1, email: 0 } });
    const onEmail = agent('c', { load: { voice: 0, chat: 0, email: 1 }, maxEmails: 2 });
    assert.equal(r.canTake(onChat, 'voice'), false);
    assert.equal(r.canTake(onEmail, 'voice'), false);
    assert.equal(r.canTake(onChat, 'email'), true);
    assert.equal(r.canTake(agent('d'), 'voice'), true);
    assert.equal(r.canTake(agent('e', { voiceReady: false }), 'voice'), false);
    assert.equal(r.canTake(agent('e', { voiceReady: false }), 'chat'), true);
    assert.equal(r.canTake(agent('f', { available: false }), 'chat'), false);
  });

  test('plan gives a free agent one call and nothing else with it', () => {
    const both = new Set(['sales', 'web']);
    const r = router(
      [agent('a', { campaignIds: both })],
      [
        contact('call', { enqueuedAt: 1 }),
        contact('chat', { campaignId: 'web', kind: 'chat', enqueuedAt: 2 }),
      ],
    );
    assert.deepEqual(ids(r), ['call->a']);
  });

  test('chats go up to maxChats, in one plan too', () => {
    const chats = Array.from({ length: 5 }, (_, i) =>
      contact(`c${i}`, { campaignId: 'web', kind: 'chat', enqueuedAt: i }),
    );
    const web = new Set(['web']);
    const r = router(
      [agent('a', { campaignIds: web, maxChats: 3, load: { voice: 0, chat: 1, email: 0 } })],
      chats,
    );
    assert.deepEqual(ids(r), ['c0->a', 'c1->a']);
    r.upsertAgent(agent('b', { campaignIds: web, maxChats: 2, idleSince: 9 }));
    assert.deepEqual(ids(r), ['c0->a', 'c1->a', 'c2->b', 'c3->b']);
    r.upsertAgent(agent('a', { campaignIds: web, maxChats: 3, load: { voice: 0, chat: 3, email: 0 } }));
    assert.equal(r.nextForAgent('a'), undefined);
    assert.equal(r.bestAgentFor('c0'), 'b');
  });

  test('email one at a time by default', () => {
    const mail = new Set(['mail']);
    const r = router(
      [agent('a', { campaignIds: mail })],
      [
        contact('m1', { campaignId: 'mail', kind: 'email', enqueuedAt: 1 }),
        contact('m2', { campaignId: 'mail', kind: 'email', enqueuedAt: 2 }),
      ],
    );
    assert.deepEqual(ids(r), ['m1->a']);
    r.remove('m1');
    r.upsertAgent(agent('a', { campaignIds: mail, load: { voice: 0, chat: 0, email: 1 } }));
    assert.equal(r.nextForAgent('a'), undefined);
    assert.deepEqual(r.plan(), []);
  });

  test('plan never double-books, follows queue order, and does not mutate', () => {
    const r = router(
      [agent('a', { idleSince: 1 }), agent('b', { idleSince: 2 })],
      [
        contact('c1', { enqueuedAt: 10 }),
        contact('c2', { enqueuedAt: 20 }),
        contact('c3', { enqueuedAt: 30 }),
        contact('vip', { enqueuedAt: 40, priority: 9 }),
      ],
    );
    assert.deepEqual(ids(r), ['vip->a', 'c1->b']);
    assert.deepEqual(ids(r), ['vip->a', 'c1->b']);
    assert.equal(r.queueStats('sales').waiting, 4);
    assert.equal(r.has('vip'), true);
  });

  test('an agent who changes campaigns or is removed stops being offered', () => {
    const r = router([agent('a')], [contact('x')]);
    r.upsertAgent(agent('a', { campaignIds: new Set(['support']) }));
    assert.equal(r.bestAgentFor('x'), undefined);
    r.upsertAgent(agent('a'));
    assert.equal(r.bestAgentFor('x'), 'a');
    r.removeAgent('a');
    assert.equal(r.bestAgentFor('x'), undefined);
    assert.equal(r.nextForAgent('a'), undefined);
    assert.deepEqual(r.plan(), []);
  });

  test('stored agents and contacts are copies', () => {
    const a = agent('a');
    const c = contact('x');
    const r = router([a], [c]);
    a.available = false;
    c.priority = 99;
    assert.equal(r.bestAgentFor('x'), 'a');
    assert.equal(r.nextForAgent('a')?.priority, 0);
  });

  test('queueStats counts waiting contacts and the oldest enqueuedAt, whatever the priority', () => {
    const r = router(
      [],
      [
        contact('a', { enqueuedAt: 500, priority: 3 }),
        contact('b', { enqueuedAt: 100 }),
        contact('m', { campaignId: 'support', kind: 'email', enqueuedAt: 700 }),
      ],
    );
    assert.deepEqual(r.queueStats('sales'), { waiting: 2, oldestEnqueuedAt: 100 });
    assert.deepEqual(r.queueStats('nowhere'), { waiting: 0, oldestEnqueuedAt: null });
    r.remove('b');
    r.remove('a');
    assert.deepEqual(r.queueStats('sales'), { waiting: 0, oldestEnqueuedAt: null });
    assert.deepEqual(r.campaignIds(), ['sales', 'support']);
  });

  test('rejects non-finite ordering keys', () => {
    const r = new Router();
    assert.throws(() => r.enqueue(contact('x', { enqueuedAt: Number.NaN })), RangeError);
    assert.throws(() => r.upsertAgent(agent('a', { idleSince: Number.NaN })), RangeError);
    assert.equal(r.has('x'), false);
  });
});
