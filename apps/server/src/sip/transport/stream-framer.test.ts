import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamFramer } from './stream-framer.js';

const MESSAGE = 'OPTIONS sip:x SIP/2.0\r\nContent-Length: 2\r\n\r\nhi';

test('a double CRLF between messages is a keep-alive ping, even split across chunks', () => {
  const f = new StreamFramer();
  assert.deepEqual(f.push(Buffer.from('\r\n\r\n')), { messages: [], pings: 1 });
  assert.deepEqual(f.push(Buffer.from('\r\n')), { messages: [], pings: 0 });
  assert.deepEqual(f.push(Buffer.from('\r\n')), { messages: [], pings: 1 });
  const framed = f.push(Buffer.from(`\r\n\r\n${MESSAGE}\r\n\r\n`));
  assert.equal(framed.pings, 2);
  assert.deepEqual(
    framed.messages.map((m) => m.toString()),
    [MESSAGE],
  );
  assert.equal(f.pending, 0);
});

test('a lone CRLF before a message is no ping, and a message begun is pending until complete', () => {
  const f = new StreamFramer();
  assert.deepEqual(f.push(Buffer.from(`\r\n${MESSAGE.slice(0, 10)}`)), { messages: [], pings: 0 });
  assert.equal(f.pending, 10);
  const rest = f.push(Buffer.from(`${MESSAGE.slice(10)}\r\n`));
  assert.equal(rest.messages.length, 1);
  assert.equal(rest.pings, 0, 'the CRLF left over starts a new count');
  assert.equal(f.pending, 0);
});
