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

/** The information list as the agent reads it: each field's label with its value. */
function fields(info: AreaPart): Record<string, string> {
  const read: Record<string, string> = {};
  for (const term of info.getAllByRole('term')) {
    read[term.textContent ?? ''] = term.nextElementSibling?.textContent ?? '';
  }
  return read;
}

const OFFICE = '+442079460000';

describe("a lead's call information (D6)", () => {
  it('a lead never called: Outbound Preview, "New Record", no last attempt, the lead\'s own fields', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildLeadPanel());
    const area = renderInteractionsArea(buildLeadInteraction());
    await screen.findByRole('region', { name: 'Phone numbers' });

    expect(fields(area.info())).toMatchObject({
      'Call Type': 'Outbound Preview',
      'Last Attempt': '—',
      'Last Outcome': 'New Record',
      'Lead ID': LEAD_ID,
      'Number Attempts': '0',
      'First name': 'Ann',
      Company: 'Lee & Co',
    });
    // In the guide's order, after the fields every call has.
    expect(Object.keys(fields(area.info())).slice(-7)).toEqual([
      'Time in queue',
      'Last Attempt',
      'Last Outcome',
      'Lead ID',
      'Number Attempts',
      'First name',
      'Company',
    ]);
  });

  it("a lead called before: its last attempt (dd/mm/yyyy hh:mm:ss) and outcome; once a number is called, that number's attempts", async () => {
    const lead = buildPanelLead({
      attempts: 5,
      lastAttemptAt: new Date(2030, 10, 28, 17, 4, 9).toISOString(),
      lastOutcome: 'No answer',
      numbers: [
        buildLeadNumber({ attempts: 3 }),
        buildLeadNumber({ id: OFFICE_ID, number: OFFICE, attempts: 2 }),
      ],
    });
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildLeadPanel({ lead }));
    const area = renderInteractionsArea(buildLeadInteraction());
    await screen.findByRole('region', { name: 'Phone numbers' });

    expect(fields(area.info())).toMatchObject({
      'Last Attempt': '28/11/2030 17:04:09',
      'Last Outcome': 'No answer',
      'Number Attempts': '5',
    });

    area.rerender(buildLeadInteraction({ dial: { state: 'ringing', to: OFFICE } }));
    expect(fields(area.info())['Number Attempts']).toBe('2');
  });

  it('its timer is the time presented until a call on it is answered, as the card says; then talking time', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildLeadPanel());
    const area = renderInteractionsArea(buildLeadInteraction());
    await screen.findByRole('region', { name: 'Phone numbers' });
    const timers = () => Object.keys(fields(area.info())).filter((label) => label.endsWith(' Time'));

    expect(timers()).toEqual(['Total Time', 'Presented Time']);
    area.rerender(buildLeadInteraction({ dial: { state: 'ringing', to: OFFICE } }));
    expect(timers()).toEqual(['Total Time', 'Presented Time']);
    area.rerender(buildLeadInteraction({ dial: { state: 'answered', to: OFFICE } }));
    expect(timers()).toEqual(['Total Time', 'Talking Time']);
    area.rerender(buildLeadInteraction({ state: 'wrapping', dial: { state: 'answered', to: OFFICE } }));
    expect(timers()).toEqual(['Total Time', 'Wrapping Time']);
  });

  it('an inbound call converted onto a lead is talking from the start', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildLeadPanel({ callType: 'Inbound Call' }));
    const area = renderInteractionsArea(buildLeadInteraction({ callType: undefined }));
    await screen.findByRole('region', { name: 'Phone numbers' });
    expect(Object.keys(fields(area.info()))).toContain('Talking Time');
  });

  it('an interaction without a lead shows none of the lead fields', async () => {
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(
      buildLeadPanel({ lead: null, callType: 'Inbound Call' }),
    );
    const area = renderInteractionsArea(buildLeadInteraction({ leadId: undefined, callType: undefined }));
    await area.info().findByRole('textbox', { name: 'Notes' });

    expect(Object.keys(fields(area.info()))).not.toContain('Lead ID');
    expect(Object.keys(fields(area.info()))).not.toContain('Last Outcome');
    expect(screen.queryByRole('region', { name: 'Phone numbers' })).toBeNull();
  });
});
