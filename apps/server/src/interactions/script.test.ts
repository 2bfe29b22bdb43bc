import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillScript } from './script.js';

test('fields are put in; missing values are empty; unknown names stay for the author to see', () => {
  const fields = { 'agent.name': 'Ava Agent', 'customer.phone': '+61400111222', 'ivr.data': null };
  assert.equal(
    fillScript(
      'Hi, {agent.name} here. Calling from {customer.phone}? Data: [{ivr.data}] {lead.firstName}',
      fields,
    ),
    'Hi, Ava Agent here. Calling from +61400111222? Data: [] {lead.firstName}',
  );
  assert.equal(fillScript('no fields, {not a field}', fields), 'no fields, {not a field}');
});

test('a lead’s columns go in by their names, spaces and all', () => {
  const fields = { 'lead.First name': 'Mia', 'lead.Plan (current)': 'Gold 2' };
  assert.equal(
    fillScript('Hello {lead.First name}, about your {lead.Plan (current)} plan. {lead.Missing}', fields),
    'Hello Mia, about your Gold 2 plan. {lead.Missing}',
  );
});
