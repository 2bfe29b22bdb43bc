import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { agentActivity, timeStateName } from '@parley/contract';
import { ManualClock } from '../clock.js';
import { AppError } from '../http/app-error.js';
import { AgentStateMachine, type MachineEvent, type OfferSpec } from './agent-state.machine.js';

const BREAK = '11111111-1111-4111-8111-111111111111';
const ACW = '22222222-2222-4222-8222-222222222222';
const names: Record<string, string> = { [BREAK]: 'Break', [ACW]: 'After Call Work' };
const nameOf = (c: { kind: string; reasonId?: string }) => (c.reasonId ? names[c.reasonId] : undefined);

function setup() {
  const clock = new ManualClock();
  const m = new AgentStateMachine(clock, {}, 30_000);
  const events: MachineEvent[] = [];
  m.onEvent((e) => events.push(e));
  return { clock, m, events };
}

const chat = (id: string): OfferSpec => ({
  id,
  kind: 'chat',
  campaignId: 'c1',
  campaignName: 'Web Chat',
  label: `Chat ${id}`,
  ringTimeoutMs: 20_000,
});
const call = (id: string): OfferSpec => ({ ...chat(id), kind: 'voice', label: `Call ${id}` });

const statusName = (m: AgentStateMachine) => {
  const s = m.state.status;
  return s.kind === 'paused' ? s.reasonName : s.kind;
};

describe('AgentStateMachine', () => {
  test('a toolbar signs the agent in paused as Unavailable; the agent then chooses Available', () => {
    const { m, clock } = setup();
    assert.equal(statusName(m), 'signed_out');
    m.toolbarConnected();
    assert.equal(statusName(m), 'Unavailable');
    clock.advance(5000);
    assert.equal(m.choose({ kind: 'available' }), 'applied');
    assert.equal(statusName(m), 'available');
    assert.equal(m.state.since, clock.now().toISOString());
  });

  test('events fire only on real change', () => {
    const { m, events } = setup();
    m.toolbarConnected();
    m.choose({ kind: 'available' });
    const count = events.length;
    m.choose({ kind: 'available' });
    m.toolbarConnected();
    m.setVoice('none');
    assert.equal(events.length, count);
    m.choose({ kind: 'paused', reasonId: BREAK }, 'Break');
    assert.equal(events.length, count + 1);
    assert.deepEqual(events.at(-1), {
      type: 'changed',
      state: m.state,
      statusChanged: true,
      timeStateChanged: true,
    });
  });

  test('an offer not accepted within the ring timeout gives Auto Pause and withdraws it', () => {
    const { m, clock, events } = setup();
    m.toolbarConnected();
    m.choose({ kind: 'available' });
    assert.equal(m.offer(chat('x')), true);
    clock.advance(19_999);
    assert.equal(m.state.interactions.length, 1);
    clock.advance(1);
    assert.equal(statusName(m), 'Auto Pause');
    assert.deepEqual(m.state.status, {
      kind: 'paused',
      reasonId: null,
      reasonName: 'Auto Pause',
      detail: 'Ring timeout: offer not accepted',
    });
    assert.equal(m.state.interactions.length, 0);
    assert.deepEqual(events.at(-1), { type: 'offersWithdrawn', interactionIds: ['x'] });
  });

  test('an accepted offer does not time out', () => {
    const { m, clock } = setup();
    m.toolbarConnected();
    m.choose({ kind: 'available' });
    m.offer(chat('x'));
    clock.advance(10_000);
    m.accept('x');
    clock.advance(60_000);
    assert.equal(statusName(m), 'available');
    assert.equal(m.state.interactions[0]?.state, 'busy');
    assert.equal(m.state.interactions[0]?.offerExpiresAt, undefined);
    assert.equal(clock.pendingTimers, 0);
  });

  test('the working state stands over the status: ringing, on call, on hold with its own timer, wrapping; the status timer restarts after', () => {
    const { m, clock, events } = setup();
    const activity = () => agentActivity(m.state.interactions);
    m.toolbarConnected();
    m.setVoice('connected');
    m.choose({ kind: 'available' });
    clock.advance(30_000);
    const changes = events.length;
    m.offer(call('c'));
    assert.deepEqual(activity(), { name: 'Ringing', label: 'Ringing', since: clock.now().toISOString() });
    assert.equal(timeStateName(m.state), 'Ringing');
    clock.advance(4_000);
    m.accept('c');
    const answered = clock.now().toISOString();
    assert.deepEqual(activity(), { name: 'On call', label: 'On call', since: answered });
    clock.advance(20_000);
    m.annotate('c', { held: true });
    const held = clock.now().toISOString();
    assert.deepEqual(activity(), { name: 'On hold', label: 'On hold', since: held });
    clock.advance(5_000);
    m.annotate('c', { recording: true }); // another fact changes; the hold timer keeps its start
    assert.equal(activity()?.since, held);
    m.annotate('c', { held: false });
    assert.deepEqual(activity(), { name: 'On call', label: 'On call', since: answered });
    assert.equal(m.state.interactions[0]?.heldSince, undefined);
    clock.advance(10_000);
    m.end('c');
    assert.equal(activity()?.name, 'Wrapping');
    assert.equal(statusName(m), 'available', 'the status stays the one chosen for afterwards');
    clock.advance(15_000);
    m.wrap('c', nameOf);
    assert.equal(activity(), undefined);
    assert.equal(timeStateName(m.state), 'Available');
    assert.equal(m.state.since, clock.now().toISOString(), 'Available counts again from the end of the call');
    const kinds = events.slice(changes).map((e) => e.type === 'changed' && e.timeStateChanged);
    // Ringing, On call, On hold, (recording: no), On call, Wrapping, Available.
    assert.deepEqual(kinds, [true, true, true, false, true, true, true]);
  });

  test('a second line and an announcement show on the call until removed (null) or the call ends', () => {
    const { m, clock, events } = setup();
    m.toolbarConnected();
    m.setVoice('connected');
    m.choose({ kind: 'available' });
    m.offer(call('c'));
    m.accept('c');
    const on = () => m.state.interactions[0];
    m.annotate('c', { held: true });
    const held = on()?.heldSince;
    assert.ok(held);
    clock.advance(3_000);
    const ringing = { label: 'Agent Two', state: 'ringing', active: 'consulted' } as const;
    m.annotate('c', { consult: ringing });
    assert.deepEqual(on()?.consult, ringing);
    assert.equal(on()?.heldSince, held, 'a second line keeps the hold timer');
    m.annotate('c', { announcement: 'Privacy notice' });
    assert.equal(on()?.announcement, 'Privacy notice');
    assert.deepEqual(on()?.consult, ringing, 'a patch without consult leaves the line as it was');
    const count = events.length;
    m.annotate('c', { consult: ringing, announcement: 'Privacy notice' });
    assert.equal(events.length, count, 'the same facts again: no event');
    m.annotate('c', { announcement: null });
    assert.equal(on()?.announcement, undefined);
    assert.equal('announcement' in (on() ?? {}), false, 'removed, not left as a key');
    const merged = { label: 'Agent Two', state: 'connected', active: 'conference' } as const;
    m.annotate('c', { consult: merged });
    assert.deepEqual(on()?.consult, merged);
    m.annotate('c', { consult: null });
    assert.equal('consult' in (on() ?? {}), false);
    m.annotate('c', { consult: merged, announcement: 'Hold message' });
    m.end('c');
    assert.equal(on()?.state, 'wrapping');
    assert.equal(on()?.consult, undefined, 'wrap-up has no second line');
    assert.equal(on()?.announcement, undefined, 'nor an announcement');
    assert.equal(on()?.held, undefined);
  });

  test('a transfer offered by name carries who sent it from ringing to wrap-up', () => {
    const { m } = setup();
    m.toolbarConnected();
    m.setVoice('connected');
    m.choose({ kind: 'available' });
    assert.equal(m.offer({ ...call('t'), transferredBy: 'Agent One' }), true);
    assert.equal(m.state.interactions[0]?.transferredBy, 'Agent One');
    m.accept('t');
    assert.equal(m.state.interactions[0]?.transferredBy, 'Agent One');
    m.end('t');
    assert.equal(m.state.interactions[0]?.transferredBy, 'Agent One');
  });

  test('chats are counted while chatting; a call outranks them', () => {
    const { m } = setup();
    m.toolbarConnected();
    m.setVoice('connected');
    m.choose({ kind: 'available' });
    for (const id of ['a', 'b', 'c']) {
      m.offer(chat(id));
      m.accept(id);
    }
    assert.equal(agentActivity(m.state.interactions)?.label, 'Chatting: 3');
    m.end('c');
    assert.equal(
      agentActivity(m.state.interactions)?.label,
      'Chatting: 2',
      'a chat in wrap-up is not counted',
    );
    m.offer(call('v'));
    m.accept('v');
    assert.equal(agentActivity(m.state.interactions)?.label, 'On call');
  });

  test('a voice contact for an agent without voice is not offered: Auto Pause instead', () => {
    const { m } = setup();
    m.toolbarConnected();
    m.choose({ kind: 'available' });
    assert.equal(m.canOffer('voice'), false);
    assert.equal(m.canOffer('chat'), true);
    assert.equal(m.offer(call('v')), false);
    assert.equal(statusName(m), 'Auto Pause');
    assert.equal(m.state.status.kind === 'paused' && m.state.status.detail, 'No voice connection');
    m.setVoice('connected');
    m.choose({ kind: 'available' });
    assert.equal(m.offer(call('v')), true);
  });

  test('during wrap-up the chosen status waits, and wrapping applies it (C3)', () => {
    const { m, clock } = setup();
    m.toolbarConnected();
    m.setVoice('connected');
    m.choose({ kind: 'available' });
    m.offer(call('v'));
    m.accept('v');
    clock.advance(60_000);
    m.end('v');
    assert.equal(m.choose({ kind: 'paused', reasonId: ACW }, 'After Call Work'), 'after-wrap');
    assert.equal(statusName(m), 'available');
    assert.deepEqual(m.state.nextStatus, { kind: 'paused', reasonId: ACW });
    clock.advance(5000);
    m.wrap('v', nameOf);
    assert.equal(statusName(m), 'After Call Work');
    assert.equal(m.state.nextStatus, null);
    assert.equal(m.state.interactions.length, 0);
    assert.equal(m.idleSince.getTime(), clock.now().getTime());
  });

  test('wrong steps are refused with a stable code and change nothing', () => {
    const { m } = setup();
    m.toolbarConnected();
    m.choose({ kind: 'available' });
    m.offer(chat('x'));
    const before = m.state;
    assert.throws(
      () => m.end('x'),
      (e: unknown) => e instanceof AppError && e.code === 'INTERACTION_STATE',
    );
    assert.throws(
      () => m.wrap('nope', nameOf),
      (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND',
    );
    assert.deepEqual(m.state, before);
  });

  test('pausing withdraws offers (they go back), but keeps conversations in progress', () => {
    const { m, events } = setup();
    m.toolbarConnected();
    m.choose({ kind: 'available' });
    m.offer(chat('a'));
    m.accept('a');
    m.offer(chat('b'));
    m.choose({ kind: 'paused', reasonId: BREAK }, 'Break');
    assert.deepEqual(
      m.state.interactions.map((i) => i.id),
      ['a'],
    );
    assert.deepEqual(events.at(-1), { type: 'offersWithdrawn', interactionIds: ['b'] });
  });

  test('a toolbar gone for longer than the grace period takes the agent out of routing', () => {
    const { m, clock } = setup();
    m.toolbarConnected();
    m.choose({ kind: 'available' });
    m.toolbarDisconnected();
    clock.advance(29_000);
    m.toolbarConnected();
    clock.advance(10_000);
    assert.equal(statusName(m), 'available', 'back within the grace period: nothing happens');
    m.toolbarDisconnected();
    clock.advance(30_000);
    assert.equal(statusName(m), 'Unavailable');
    m.toolbarConnected();
    assert.equal(statusName(m), 'Unavailable', 'reconnecting does not make the agent available by itself');
  });

  test('signing out withdraws offers and leaves routing', () => {
    const { m, events } = setup();
    m.toolbarConnected();
    m.choose({ kind: 'available' });
    m.offer(chat('a'));
    m.signOut();
    assert.equal(statusName(m), 'signed_out');
    assert.equal(m.canOffer('chat'), false);
    assert.deepEqual(events.at(-1), { type: 'offersWithdrawn', interactionIds: ['a'] });
    assert.throws(() => m.choose({ kind: 'available' }));
  });
});
