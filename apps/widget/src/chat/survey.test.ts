import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SurveyField } from '@parley/contract';
import { validateSurvey } from './survey';

const fields: SurveyField[] = [
  { key: 'name', label: 'Name', type: 'text', required: true },
  { key: 'email', label: 'Email', type: 'email', required: false },
  { key: 'phone', label: 'Phone', type: 'phone', required: false },
  { key: 'topic', label: 'Topic', type: 'choice', required: true, options: ['Sales', 'Support'] },
];

test('complete answers pass, trimmed, with empty optional ones left out', () => {
  const result = validateSurvey(fields, {
    name: '  Ana ',
    email: '',
    phone: '+61 2 9999-0000',
    topic: 'Sales',
  });
  assert.deepEqual(result.errors, {});
  assert.deepEqual(result.answers, { name: 'Ana', phone: '+61 2 9999-0000', topic: 'Sales' });
});

test('required fields must be answered', () => {
  const result = validateSurvey(fields, { name: '   ' });
  assert.deepEqual(Object.keys(result.errors), ['name', 'topic']);
  assert.equal(result.errors.name, 'Name is required');
});

test('emails, phone numbers and choices are checked by type', () => {
  const result = validateSurvey(fields, { name: 'Ana', email: 'ana@', phone: 'call me', topic: 'Billing' });
  assert.deepEqual(Object.keys(result.errors).sort(), ['email', 'phone', 'topic']);
  assert.deepEqual(validateSurvey(fields, { name: 'Ana', phone: '12', topic: 'Sales' }).errors, {
    phone: 'Enter a phone number',
  });
});

test('an answer longer than the platform takes is refused', () => {
  const result = validateSurvey(fields, { name: 'x'.repeat(501), topic: 'Sales' });
  assert.equal(result.errors.name, 'Name is too long');
});
