import type { AgentInteraction } from '@parley/contract';
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import {
  buildLeadInteraction,
  buildLeadNumber,
  buildLeadPanel,
  buildPanelLead,
  LEAD_ID,
  OFFICE_ID,
} from '../testing/leads';
import { type AreaPart, renderInteractionsArea } from '../testing/renderInteractionsArea';

const MOBILE = '+447700900123';
const OFFICE = '+442079460000';

/** The information list as the agent reads it: each field's label with its value. */
function fields(info: AreaPart): Record<string, string> {
  const read: Record<string, string> = {};
  for (const term of info.getAllByRole('term'))
    read[term.textContent ?? ''] = term.nextElementSibling?.textContent ?? '';
  return read;
}

/** A predictive call the dialler put through to the agent: already talking, on the lead it dialled. */
const predictive = (overrides: Partial<AgentInteraction> = {}) =>
  buildLeadInteraction({ callType: 'predictive', ...overrides });

function mockPanel() {
  vi.spyOn(api, 'interactionPanel').mockResolvedValue(
    buildLeadPanel({
      callType: 'Outbound Predictive',
      customerPhone: MOBILE,
      lead: buildPanelLead({
        attempts: 1,
        numbers: [
          buildLeadNumber({ attempts: 1 }),
          buildLeadNumber({ id: OFFICE_ID, label: 'Office', number: OFFICE }),
        ],
      }),
    }),
  );
}

describe('a predictive call on the toolbar (H1, D6)', () => {
  it("is a live call on the lead: Talking with Hang Up, Call Type Outbound Predictive, the lead's fields and numbers", async () => {
    mockPanel();
    const area = renderInteractionsArea(predictive());

    const numbers = await area.findNumbers();
    expect(area.card().getByText('Talking')).toBeTruthy();
    expect(area.card().queryByText('Presented')).toBeNull();
    expect(area.card().getByRole('button', { name: 'Hang Up' })).toBeTruthy();
    expect(area.card().queryByRole('button', { name: 'Wrap Lead' })).toBeNull();
    expect(fields(area.info())).toMatchObject({
      'Call Type': 'Outbound Predictive',
      'Customer phone': MOBILE,
      'Lead ID': LEAD_ID,
      'First name': 'Ann',
    });
    expect(numbers.getByText(MOBILE)).toBeTruthy();
    expect(numbers.getByText(OFFICE)).toBeTruthy();
  });

  it('has no Call button on any of its numbers, talking or wrapping: the call is already connected', async () => {
    mockPanel();
    const dial = vi.spyOn(api, 'dialLead');
    const area = renderInteractionsArea(predictive());

    const numbers = await area.findNumbers();
    expect(numbers.queryAllByRole('button', { name: /^Call / })).toEqual([]);
    area.rerender(predictive({ state: 'wrapping' }));
    expect(area.card().getByRole('button', { name: 'Wrap Lead' })).toBeTruthy();
    expect(area.numbers().queryAllByRole('button', { name: /^Call / })).toEqual([]);
    expect(dial).not.toHaveBeenCalled();
  });

  it('a call converted onto a lead is connected too: no Call buttons; a presented preview lead keeps them', async () => {
    mockPanel();
    const converted = renderInteractionsArea(buildLeadInteraction({ callType: undefined }));
    expect((await converted.findNumbers()).queryAllByRole('button', { name: /^Call / })).toEqual([]);

    converted.rerender(buildLeadInteraction());
    expect(
      (await screen.findAllByRole('button', { name: /^Call / })).map((b) => b.getAttribute('aria-label')),
    ).toEqual([`Call ${MOBILE}`, `Call ${OFFICE}`]);
  });
});
