import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WorkflowDefinition } from '@parley/contract';
import { ManualClock } from '../clock.js';
import { type IvrMedia, IvrRunner, localTime } from './ivr-runner.js';

const CAMPAIGN = '00000000-0000-4000-8000-000000000001';
const flush = () => new Promise((r) => setImmediate(r));

/** Prompts play instantly; the test sees which, in order, and may press keys while one plays. */
function fakeMedia(
  whilePlaying?: (prompt: string) => void,
  answers: (number: string) => boolean = () => false,
): IvrMedia & { played: string[] } {
  const played: string[] = [];
  return {
    played,
    play: async (prompt) => {
      played.push(prompt);
      whilePlaying?.(prompt);
    },
    stop: () => {},
    transfer: async (number) => {
      played.push(`transfer ${number}`);
      return answers(number);
    },
  };
}

const menu: WorkflowDefinition = {
  start: 'menu',
  nodes: {
    menu: {
      type: 'menu',
      prompt: 'welcome-menu',
      choices: { '1': 'sales', '2': 'support' },
      timeoutSeconds: 5,
      retries: 1,
      invalidPrompt: 'invalid-choice',
      noInputPrompt: 'no-input',
      otherwise: 'none',
    },
    sales: { type: 'setData', value: 'Sales', next: 'hold' },
    support: { type: 'setData', value: 'Support', next: 'hold' },
    none: { type: 'setData', value: 'No choice', next: 'hold' },
    hold: { type: 'play', prompt: 'please-hold', next: 'queue' },
    queue: { type: 'queue', campaignId: CAMPAIGN },
  },
};

describe('IVR runner (virtual time)', () => {
  test('a key pressed during the menu prompt chooses; the data and the queue come out', async () => {
    let runner: IvrRunner | undefined;
    const media = fakeMedia((prompt) => {
      if (prompt === 'welcome-menu') runner?.digit('2'); // type-ahead, while the prompt plays
    });
    runner = new IvrRunner(menu, media, new ManualClock());
    assert.deepEqual(await runner.run(), { kind: 'queue', campaignId: CAMPAIGN, data: 'Support' });
    assert.deepEqual(media.played, ['welcome-menu', 'please-hold']);
  });

  test('a key pressed before the menu begins chooses at once: its prompt is not played', async () => {
    const media = fakeMedia();
    const runner = new IvrRunner(menu, media, new ManualClock());
    runner.digit('1'); // the caller keyed ahead before the first prompt could start
    assert.deepEqual(await runner.run(), { kind: 'queue', campaignId: CAMPAIGN, data: 'Sales' });
    assert.deepEqual(media.played, ['please-hold'], 'the menu prompt was skipped, the announcement not');
  });

  test('a key cuts short a menu prompt (as a key by SIP INFO must), never a plain announcement', async () => {
    let runner: IvrRunner | undefined;
    const stopped: string[] = [];
    let current = '';
    const media: IvrMedia = {
      play: async (prompt) => {
        current = prompt;
        if (prompt === 'please-hold') runner?.digit('9'); // a key during an announcement
        if (prompt === 'welcome-menu') runner?.digit('1');
      },
      stop: () => stopped.push(current),
      transfer: async () => false,
    };
    runner = new IvrRunner(menu, media, new ManualClock());
    assert.deepEqual(await runner.run(), { kind: 'queue', campaignId: CAMPAIGN, data: 'Sales' });
    assert.deepEqual(stopped, ['welcome-menu']);
  });

  test('a transfer node: answered ends the workflow; refused or unanswered goes on at "failed"', async () => {
    const flow: WorkflowDefinition = {
      start: 'out',
      nodes: {
        out: { type: 'transfer', number: '+61412345678', failed: 'backup' },
        backup: { type: 'transfer', number: '+61298765432', failed: 'queue' },
        queue: { type: 'queue', campaignId: CAMPAIGN },
      },
    };
    const answered = fakeMedia(undefined, (n) => n === '+61298765432');
    assert.deepEqual(await new IvrRunner(flow, answered, new ManualClock()).run(), {
      kind: 'transferred',
      number: '+61298765432',
      data: null,
    });
    assert.deepEqual(answered.played, ['transfer +61412345678', 'transfer +61298765432']);
    const nobody = fakeMedia();
    assert.deepEqual(await new IvrRunner(flow, nobody, new ManualClock()).run(), {
      kind: 'queue',
      campaignId: CAMPAIGN,
      data: null,
    });
  });

  test('no key: "no input" after the timeout, asked again, then the fallback', async () => {
    const clock = new ManualClock();
    const media = fakeMedia();
    const runner = new IvrRunner(menu, media, clock);
    const done = runner.run();
    await flush();
    clock.advance(4_999);
    await flush();
    assert.deepEqual(media.played, ['welcome-menu'], 'still waiting at 4.999 s');
    clock.advance(1);
    await flush();
    assert.deepEqual(media.played, ['welcome-menu', 'no-input', 'welcome-menu']);
    clock.advance(5_000);
    assert.deepEqual(await done, { kind: 'queue', campaignId: CAMPAIGN, data: 'No choice' });
    assert.deepEqual(media.played, ['welcome-menu', 'no-input', 'welcome-menu', 'please-hold']);
  });

  test('a key that is not a choice: "invalid", asked again, then the right key', async () => {
    const media = fakeMedia();
    const runner = new IvrRunner(menu, media, new ManualClock());
    const done = runner.run();
    await flush();
    runner.digit('7');
    await flush();
    runner.digit('1');
    assert.deepEqual(await done, { kind: 'queue', campaignId: CAMPAIGN, data: 'Sales' });
    assert.deepEqual(media.played, ['welcome-menu', 'invalid-choice', 'welcome-menu', 'please-hold']);
  });

  test('collect: digits until the terminator, or a pause between digits', async () => {
    const def: WorkflowDefinition = {
      start: 'c',
      nodes: {
        c: {
          type: 'collect',
          prompt: 'enter-account',
          maxDigits: 8,
          terminator: '#',
          firstDigitSeconds: 10,
          interDigitSeconds: 3,
          next: 'q',
        },
        q: { type: 'queue', campaignId: CAMPAIGN },
      },
    };
    const clock = new ManualClock();
    const r1 = new IvrRunner(def, fakeMedia(), clock);
    const d1 = r1.run();
    await flush();
    for (const d of '4711#9') r1.digit(d);
    assert.equal((await d1).data, '4711');

    const r2 = new IvrRunner(def, fakeMedia(), clock);
    const d2 = r2.run();
    await flush();
    r2.digit('5');
    await flush();
    r2.digit('6');
    await flush();
    clock.advance(3_000);
    assert.equal((await d2).data, '56', 'a 3 s pause ends the entry');
  });

  test('business hours follow the time zone; after hours goes to the closed branch', async () => {
    const def: WorkflowDefinition = {
      start: 'h',
      nodes: {
        h: {
          type: 'hours',
          timeZone: 'Australia/Sydney',
          windows: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
          open: 'q',
          closed: 'bye',
        },
        q: { type: 'queue', campaignId: CAMPAIGN },
        bye: { type: 'hangup' },
      },
    };
    // Wednesday 2026-11-25 23:00 UTC is Thursday 10:00 in Sydney (UTC+11 in summer).
    const open = new ManualClock(Date.UTC(2026, 10, 25, 23, 0));
    assert.deepEqual(localTime(open.now(), 'Australia/Sydney'), { day: 4, time: '10:00' });
    assert.equal((await new IvrRunner(def, fakeMedia(), open).run()).kind, 'queue');
    // 08:00 UTC is 19:00 in Sydney: closed.
    const closed = new ManualClock(Date.UTC(2026, 10, 25, 8, 0));
    assert.equal((await new IvrRunner(def, fakeMedia(), closed).run()).kind, 'hangup');
  });

  test('a key pressed before the menu starts counts (the caller was quick)', async () => {
    const runner = new IvrRunner(menu, fakeMedia(), new ManualClock());
    runner.digit('1');
    assert.deepEqual(await runner.run(), { kind: 'queue', campaignId: CAMPAIGN, data: 'Sales' });
  });

  test('a caller who hangs up in the menu ends the run as gone', async () => {
    const runner = new IvrRunner(menu, fakeMedia(), new ManualClock());
    const done = runner.run();
    await flush();
    runner.abort();
    assert.equal((await done).kind, 'gone');
  });
});
