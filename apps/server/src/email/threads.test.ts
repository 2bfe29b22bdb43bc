import assert from 'node:assert/strict';
import test from 'node:test';
import { baseSubject, newThreadToken, replySubject, subjectWithToken, tokenInSubject } from './threads.js';

test('a thread token survives in a reply subject and is found again', () => {
  const token = newThreadToken();
  assert.match(token, /^[A-HJKMNP-Z2-9]{8}$/);
  const subject = subjectWithToken(replySubject('Where is my order?', 'reply'), token);
  assert.equal(subject, `Re: Where is my order? [#${token}]`);
  // The customer's client adds its own prefix and drops the threading headers.
  assert.equal(tokenInSubject(`AW: ${subject}`), token);
  // A token is added once, whatever the subject held before.
  assert.equal(subjectWithToken(subject, token), subject);
  assert.equal(tokenInSubject('Order 12345678 [#12345678]'), null, 'digits 0/1 are not in the alphabet');
});

test('the base subject drops reply and forward prefixes of several languages', () => {
  assert.equal(baseSubject('Re: RE: Fwd: AW: Invoice [#ABCDEFGH]'), 'Invoice');
  assert.equal(baseSubject('Re[2]: Invoice'), 'Invoice');
  assert.equal(baseSubject('Reply needed'), 'Reply needed');
  assert.equal(replySubject('Fwd: Invoice', 'forward'), 'Fwd: Invoice');
});
