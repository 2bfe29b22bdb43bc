import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WorkflowDefinition } from '@parley/contract';
import { validateWorkflow } from './workflow-validate.js';

const CAMPAIGN = '00000000-0000-4000-8000-000000000001';
const known = { prompt: (p: string) => p !== 'missing', campaign: (id: string) => id === CAMPAIGN };

const menu: WorkflowDefinition = {
  start: 'menu',
  nodes: {
    menu: {
      type: 'menu',
      prompt: 'welcome-menu',
      choices: { '1': 'sales', '2': 'support' },
      timeoutSeconds: 5,
      retries: 2,
      otherwise: 'support',
    },
    sales: { type: 'setData', value: 'Sales', next: 'queue' },
    support: { type: 'setData', value: 'Support', next: 'queue' },
    queue: { type: 'queue', campaignId: CAMPAIGN },
  },
};

describe('workflow validation', () => {
  test('a menu that sets data and queues is valid', () => {
    assert.deepEqual(validateWorkflow(menu, known), []);
  });

  test('dangling exits, a missing start, unknown prompts, campaigns and time zones are each named', () => {
    const bad: WorkflowDefinition = {
      start: 'nowhere',
      nodes: {
        a: { type: 'play', prompt: 'missing', next: 'b' },
        h: {
          type: 'hours',
          timeZone: 'Mars/Olympus',
          windows: [{ days: [1], from: '17:00', to: '09:00' }],
          open: 'a',
          closed: 'q',
        },
        q: { type: 'queue', campaignId: '00000000-0000-4000-8000-000000000009' },
      },
    };
    assert.deepEqual(
      validateWorkflow(bad, known).map((p) => p.path),
      [
        '/start',
        '/nodes/a/next',
        '/nodes/a/prompt',
        '/nodes/h/timeZone',
        '/nodes/h/windows/0',
        '/nodes/q/campaignId',
      ],
    );
  });

  test('a transfer retrying itself on failure is a loop; its "failed" exit must name a node', () => {
    const retry: WorkflowDefinition = {
      start: 't',
      nodes: { t: { type: 'transfer', number: '+61412345678', failed: 't' } },
    };
    assert.match(validateWorkflow(retry, known)[0]?.message ?? '', /loops without input: t → t/);
    const dangling: WorkflowDefinition = {
      start: 't',
      nodes: { t: { type: 'transfer', number: '+61412345678', failed: 'nowhere' } },
    };
    assert.deepEqual(validateWorkflow(dangling, known), [
      { path: '/nodes/t/failed', message: 'no node "nowhere"' },
    ]);
  });

  test('a loop without input is refused; a menu asking again is not a loop', () => {
    const spin: WorkflowDefinition = {
      start: 'a',
      nodes: {
        a: { type: 'play', prompt: 'welcome-menu', next: 'b' },
        b: { type: 'setData', value: 'x', next: 'a' },
      },
    };
    const problems = validateWorkflow(spin, known);
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /loops without input: a → b → a/);
    const again: WorkflowDefinition = {
      start: 'm',
      nodes: {
        m: {
          type: 'menu',
          prompt: 'welcome-menu',
          choices: { '9': 'p' },
          timeoutSeconds: 3,
          retries: 0,
          otherwise: 'bye',
        },
        p: { type: 'play', prompt: 'goodbye', next: 'm' },
        bye: { type: 'hangup' },
      },
    };
    assert.deepEqual(validateWorkflow(again, known), []);
  });

  test('nodes that cannot be reached are refused', () => {
    const extra: WorkflowDefinition = { ...menu, nodes: { ...menu.nodes, lost: { type: 'hangup' } } };
    assert.deepEqual(validateWorkflow(extra, known), [
      { path: '/nodes/lost', message: 'cannot be reached from the start' },
    ]);
  });
});
