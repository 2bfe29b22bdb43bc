import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkify } from './linkify';

test('http and https addresses become links, the rest stays text', () => {
  assert.deepEqual(linkify('See https://example.com/a?b=1#c or http://x.org now'), [
    { type: 'text', text: 'See ' },
    { type: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
    { type: 'text', text: ' or ' },
    { type: 'link', text: 'http://x.org', href: 'http://x.org/' },
    { type: 'text', text: ' now' },
  ]);
});

test('punctuation after an address ends the sentence, not the address', () => {
  assert.deepEqual(linkify('Go to https://example.com/help.'), [
    { type: 'text', text: 'Go to ' },
    { type: 'link', text: 'https://example.com/help', href: 'https://example.com/help' },
    { type: 'text', text: '.' },
  ]);
  assert.deepEqual(
    linkify('(see https://en.wikipedia.org/wiki/Foo_(bar)), ok').map((s) => s.text),
    ['(see ', 'https://en.wikipedia.org/wiki/Foo_(bar)', '), ok'],
  );
});

test('markup stays text and only http(s) is ever a link', () => {
  const html = '<img src=x onerror=alert(1)> <a href="javascript:alert(1)">x</a> javascript:alert(1)';
  assert.deepEqual(linkify(html), [{ type: 'text', text: html }]);
  assert.deepEqual(linkify('data:text/html,<script>alert(1)</script>'), [
    { type: 'text', text: 'data:text/html,<script>alert(1)</script>' },
  ]);
  const quoted = linkify('"https://example.com/"><script>alert(1)</script>');
  assert.deepEqual(quoted[1], { type: 'link', text: 'https://example.com/', href: 'https://example.com/' });
  assert.equal(quoted[2]?.text, '"><script>alert(1)</script>');
});

test('text without an address is one text segment; empty text none', () => {
  assert.deepEqual(linkify('hello\nthere'), [{ type: 'text', text: 'hello\nthere' }]);
  assert.deepEqual(linkify(''), []);
  assert.deepEqual(linkify('https://'), [{ type: 'text', text: 'https://' }]);
});
