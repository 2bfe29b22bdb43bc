import type { HttpClient } from '@parley/client';
import type {
  Campaign,
  DoNotCallEntry,
  DoNotCallPage,
  LeadImport,
  LeadList,
  Role,
  SessionResponse,
} from '@parley/contract';
import { DEFAULT_LEAD_RULES, DEFAULT_PREDICTIVE } from '@parley/contract';
import { vi } from 'vitest';
import { api } from '../api';

export const WORKSPACE_ID = '00000000-0000-4000-8000-0000000000a1';
export const CAMPAIGN_ID = '00000000-0000-4000-8000-0000000000ca';
export const LIST_ID = '00000000-0000-4000-8000-0000000001f1';
export const IMPORT_ID = '00000000-0000-4000-8000-0000000001c1';

/** Signed in to the Acme workspace as an administrator, unless another role is given. */
export function buildStaffSession(role: Role = 'administrator'): SessionResponse {
  return {
    user: {
      id: '00000000-0000-4000-8000-0000000000f1',
      username: 'morgan',
      displayName: 'Morgan Lee',
      role,
      agentId: null,
    },
    workspace: { id: WORKSPACE_ID, name: 'Acme', slug: 'acme' },
    csrfToken: 'token',
  };
}

/** An outbound preview campaign, Renewals, unless overridden. */
export function buildCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: CAMPAIGN_ID,
    name: 'Renewals',
    kind: 'outbound_preview',
    script: '',
    teamIds: [],
    callerId: null,
    ringSeconds: 30,
    leadRules: DEFAULT_LEAD_RULES,
    predictive: DEFAULT_PREDICTIVE,
    ...overrides,
  };
}

export function buildLeadList(overrides: Partial<LeadList> = {}): LeadList {
  return {
    id: LIST_ID,
    campaignId: CAMPAIGN_ID,
    name: 'Spring leads',
    leads: 1200,
    createdAt: '2026-03-02T09:00:00.000Z',
    ...overrides,
  };
}

/** An import into Spring leads that has just started reading its rows, unless overridden. */
export function buildLeadImport(overrides: Partial<LeadImport> = {}): LeadImport {
  const id = overrides.id ?? IMPORT_ID;
  return {
    id,
    kind: 'leads',
    listId: LIST_ID,
    status: 'importing',
    mapping: { phone: ['Mobile'], timeZone: null, priority: null, delimiter: ',' },
    bytes: 2048,
    rowsRead: 0,
    imported: 0,
    duplicates: 0,
    rejected: 0,
    reportLines: 0,
    reportUrl: `/api/workspaces/${WORKSPACE_ID}/lead-imports/${id}/report`,
    error: null,
    createdAt: '2026-03-02T09:10:00.000Z',
    finishedAt: null,
    ...overrides,
  };
}

/** The same import once it has completed with these counts. */
export function buildFinishedImport(overrides: Partial<LeadImport> = {}): LeadImport {
  return buildLeadImport({ status: 'completed', finishedAt: '2026-03-02T09:11:00.000Z', ...overrides });
}

export function buildDoNotCallEntry(overrides: Partial<DoNotCallEntry> = {}): DoNotCallEntry {
  return {
    number: '+442079460000',
    reason: 'Asked not to be called',
    createdAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

type CampaignsApi = ReturnType<HttpClient['campaigns']>;
type LeadListsApi = ReturnType<HttpClient['leadLists']>;
type LeadImportsApi = ReturnType<HttpClient['leadImports']>;
type DoNotCallApi = ReturnType<HttpClient['doNotCall']>;

export interface LeadAdminData {
  campaigns?: Campaign[];
  lists?: LeadList[];
  /** The imports of every list, newest first. */
  imports?: LeadImport[];
  doNotCall?: DoNotCallPage;
  doNotCallImports?: LeadImport[];
}

/**
 * The administrators' lead-list API, faked: each method a mock answering with the data given
 * (nothing by default), for tests to change and to inspect.
 */
export function mockLeadAdminApi(data: LeadAdminData = {}) {
  const never = () => new Promise<never>(() => {});
  const campaigns = {
    list: vi.fn<CampaignsApi['list']>(async () => data.campaigns ?? [buildCampaign()]),
    get: vi.fn<CampaignsApi['get']>(never),
    create: vi.fn<CampaignsApi['create']>(never),
    update: vi.fn<CampaignsApi['update']>(never),
    remove: vi.fn<CampaignsApi['remove']>(never),
  } satisfies CampaignsApi;
  const leadLists = {
    list: vi.fn<LeadListsApi['list']>(async () => data.lists ?? [buildLeadList()]),
    get: vi.fn<LeadListsApi['get']>(never),
    create: vi.fn<LeadListsApi['create']>(async (body) =>
      buildLeadList({ id: '00000000-0000-4000-8000-0000000001f2', ...body, leads: 0 }),
    ),
    remove: vi.fn<LeadListsApi['remove']>(async () => {}),
    leads: vi.fn<LeadListsApi['leads']>(never),
    lead: vi.fn<LeadListsApi['lead']>(never),
    imports: vi.fn<LeadListsApi['imports']>(async () => data.imports ?? []),
    importCsv: vi.fn<LeadListsApi['importCsv']>(async () => buildLeadImport()),
  } satisfies LeadListsApi;
  const leadImports = {
    get: vi.fn<LeadImportsApi['get']>(never),
    report: vi.fn<LeadImportsApi['report']>(never),
    wait: vi.fn<LeadImportsApi['wait']>(never),
  } satisfies LeadImportsApi;
  const doNotCall = {
    list: vi.fn<DoNotCallApi['list']>(async () => data.doNotCall ?? { entries: [], next: null }),
    get: vi.fn<DoNotCallApi['get']>(never),
    add: vi.fn<DoNotCallApi['add']>(async (body) =>
      buildDoNotCallEntry({ number: body.number, reason: body.reason ?? '' }),
    ),
    remove: vi.fn<DoNotCallApi['remove']>(async () => {}),
    imports: vi.fn<DoNotCallApi['imports']>(async () => data.doNotCallImports ?? []),
    importCsv: vi.fn<DoNotCallApi['importCsv']>(async () =>
      buildLeadImport({ kind: 'do_not_call', listId: null }),
    ),
  } satisfies DoNotCallApi;
  vi.spyOn(api, 'campaigns').mockReturnValue(campaigns);
  vi.spyOn(api, 'leadLists').mockReturnValue(leadLists);
  vi.spyOn(api, 'leadImports').mockReturnValue(leadImports);
  vi.spyOn(api, 'doNotCall').mockReturnValue(doNotCall);
  return { campaigns, leadLists, leadImports, doNotCall };
}

/** A CSV file as the browser hands it over (Windows calls a .csv file application/vnd.ms-excel). */
export function csvFile(text: string, name = 'leads.csv', type = 'application/vnd.ms-excel'): File {
  return new File([text], name, { type });
}
