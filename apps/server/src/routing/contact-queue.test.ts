import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ContactQueue, compareContacts } from './contact-queue.js';
import type { RoutableContact } from './router-types.js';

const contact = (n: number, priority: number, enqueuedAt: number): RoutableContact => ({
  id: `k${n}`,
  campaignId: 'c',
  kind: 'chat',
  priority,
  enqueuedAt,
  seq: n,
});

describe('ContactQueue', () => {
  test('matches a sorted array under random inserts and removals, across block splits and merges', () => {
    // Grow first, then mostly shrink, so that blocks split and then merge.
    const op = (insertOdds: number) =>
      fc.record({
        insert: fc.nat(9).map((n) => n < insertOdds),
        priority: fc.nat(3),
        at: fc.nat(50),
        pick: fc.nat(),
      });
    const ops = fc
      .tuple(fc.array(op(8), { maxLength: 200 }), fc.array(op(3), { maxLength: 200 }))
      .map(([grow, shrink]) => [...grow, ...shrink]);
    fc.assert(
      fc.property(fc.constantFrom(4, 8, 16, 512), ops, (maxBlock, ops) => {
        const queue = new ContactQueue(maxBlock);
        let model: RoutableContact[] = [];
        ops.forEach((o, n) => {
          const victim = model[o.pick % Math.max(1, model.length)];
          if (o.insert || !victim) {
            const c = contact(n, o.priority, o.at);
            queue.insert(c);
            model.push(c);
            model.sort(compareContacts);
          } else {
            assert.equal(queue.delete(victim), true);
            assert.equal(queue.delete(victim), false);
            model = model.filter((c) => c !== victim);
          }
          assert.equal(queue.size, model.length);
          assert.equal(queue.head(), model[0]);
        });
        assert.deepEqual([...queue.values()], model);
        const oldest = model.length ? Math.min(...model.map((c) => c.enqueuedAt)) : null;
        assert.equal(queue.oldestEnqueuedAt(), oldest);
      }),
      { numRuns: 300 },
    );
  });

  test('draining from the head and refilling keeps order', () => {
    const queue = new ContactQueue(4);
    for (let n = 0; n < 100; n++) queue.insert(contact(n, n % 3, n));
    const out: RoutableContact[] = [];
    for (let c = queue.head(); c; c = queue.head()) {
      out.push(c);
      queue.delete(c);
    }
    assert.equal(out.length, 100);
    assert.deepEqual(out, [...out].sort(compareContacts));
    assert.equal(queue.size, 0);
    assert.equal(queue.head(), undefined);
  });

  test('removing from the tail and the middle merges blocks without losing anyone', () => {
    const queue = new ContactQueue(8);
    const all = Array.from({ length: 40 }, (_, n) => contact(n, 0, n));
    for (const c of all) queue.insert(c);
    const gone = new Set([...all.slice(25).reverse(), ...all.slice(5, 15)]);
    for (const c of gone) assert.equal(queue.delete(c), true);
    assert.deepEqual(
      [...queue.values()],
      all.filter((c) => !gone.has(c)),
    );
  });
});
