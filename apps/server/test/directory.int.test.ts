import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError, type HttpClient } from '@parley/client';
import { CSRF_HEADER, type DirectorySearchResult } from '@parley/contract';
import { ManualClock } from '../src/clock.js';
import { type GraphStandIn, startGraphServer } from './graph-server.js';
import { raw, startTestServer, type TestServer } from './helpers.js';

const failsWith = (code: string, status: number) => (e: unknown) => {
  assert.ok(e instanceof ApiError, String(e));
  assert.equal(`${e.code} ${e.status}`, `${code} ${status}`, e.message);
  return true;
};

describe('the directory (F2): workspace contacts, Microsoft Graph, one search', () => {
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9));
  let graph: GraphStandIn;
  let server: TestServer;
  let ws: string;
  let admin: HttpClient;
  let manager: HttpClient;
  let agent: HttpClient;

  /** Moves virtual time on in small steps while a request waits on it (a Retry-After). */
  async function whileWaiting<T>(work: Promise<T>, stepMs = 250): Promise<T> {
    let settled = false;
    const done = work.finally(() => {
      settled = true;
    });
    while (!settled) {
      await new Promise((r) => setTimeout(r, 10));
      if (!settled) clock.advance(stepMs);
    }
    return done;
  }

  const names = (r: DirectorySearchResult) => r.contacts.map((c) => `${c.source}:${c.name}`);
  const graphOn = (clientSecret = graph.clientSecret) =>
    admin
      .graphDirectory(ws)
      .update({ enabled: true, tenantId: graph.tenantId, clientId: graph.clientId, clientSecret });

  before(async () => {
    graph = await startGraphServer({
      clock,
      users: [
        {
          displayName: 'Adele Vance',
          jobTitle: 'Retail Manager',
          department: 'Retail',
          businessPhones: ['+1 425 555 0109'],
          mobilePhone: '0412 111 222',
          mail: 'AdeleV@contoso.example',
        },
        {
          displayName: 'Adam Nophone',
          jobTitle: 'Analyst',
          department: 'Finance',
          mail: 'adam@contoso.example',
        },
        { displayName: 'Bert Throttled', businessPhones: ['(02) 9374 4000'], mail: 'bert@contoso.example' },
        // Graph keeps numbers as people typed them; one is not a phone number at all.
        { displayName: 'Carla Oddnumbers', businessPhones: ['ext. 42', '02 9374 4001'] },
        ...Array.from({ length: 60 }, (_, i) => ({
          displayName: `Pager ${String(i + 1).padStart(2, '0')}`,
          businessPhones: [`02 9374 ${String(5000 + i)}`],
        })),
      ],
    });
    server = await startTestServer({
      clock,
      env: { GRAPH_AUTHORITY_HOST: graph.url, GRAPH_BASE_URL: graph.url },
    });
    ws = server.workspaceId;
    admin = await server.signIn('admin');
    manager = await server.signIn('manager');
    agent = await server.signIn('agent1');
  });
  after(async () => {
    await server?.close();
    await graph?.close();
  });

  test('contacts: administrators keep them in E.164, managers read, agents are refused', async () => {
    const book = admin.directoryContacts(ws);
    const helpdesk = await book.create({
      name: ' IT Helpdesk ',
      title: 'Service desk',
      department: 'IT',
      phones: [
        { number: '02 9374 4000', kind: 'work' },
        { number: '0412 345 678', kind: 'mobile' },
        { number: '+61 2 9374 4000', kind: 'work' },
      ],
      email: 'helpdesk@example.com',
    });
    assert.equal(helpdesk.name, 'IT Helpdesk');
    assert.deepEqual(helpdesk.phones, [
      { number: '+61293744000', kind: 'work' },
      { number: '+61412345678', kind: 'mobile' },
    ]);
    const reception = await book.create({ name: 'Reception' });
    assert.deepEqual([reception.phones, reception.email, reception.title], [[], null, null]);

    await assert.rejects(book.create({ name: 'it helpdesk' }), failsWith('CONFLICT', 409));
    await assert.rejects(
      book.create({ name: 'Bad number', phones: [{ number: '12', kind: 'work' }] }),
      (e: unknown) => {
        failsWith('VALIDATION_FAILED', 400)(e);
        assert.equal((e as ApiError).body?.error.details?.[0]?.path, 'body/phones/0/number');
        return true;
      },
    );
    await assert.rejects(
      book.create({ name: 'Bad email', email: 'nope' }),
      failsWith('VALIDATION_FAILED', 400),
    );
    const moved = await book.update(reception.id, {
      title: 'Front desk',
      phones: [{ number: '0293744099', kind: 'work' }],
    });
    assert.deepEqual([moved.title, moved.phones[0]?.number], ['Front desk', '+61293744099']);
    await assert.rejects(book.update(reception.id, { name: 'IT HELPDESK' }), failsWith('CONFLICT', 409));

    assert.deepEqual(
      (await manager.directoryContacts(ws).list()).map((c) => c.name),
      ['IT Helpdesk', 'Reception'],
    );
    assert.deepEqual(await manager.directoryContacts(ws).get(helpdesk.id), helpdesk);
    await assert.rejects(
      manager.directoryContacts(ws).create({ name: 'Mgr' }),
      failsWith('FORBIDDEN_ROLE', 403),
    );
    await assert.rejects(
      manager.directoryContacts(ws).importCsv('name\nMgr\n'),
      failsWith('FORBIDDEN_ROLE', 403),
    );
    await assert.rejects(agent.directoryContacts(ws).list(), failsWith('FORBIDDEN_ROLE', 403));
    await assert.rejects(
      agent.directoryContacts(ws).create({ name: 'Agent' }),
      failsWith('FORBIDDEN_ROLE', 403),
    );
    await assert.rejects(
      admin.directoryContacts('00000000-0000-4000-8000-000000000000').list(),
      failsWith('FORBIDDEN_WORKSPACE', 403),
    );

    await book.remove(reception.id);
    await assert.rejects(book.get(reception.id), failsWith('NOT_FOUND', 404));
    await assert.rejects(book.remove(reception.id), failsWith('NOT_FOUND', 404));
  });

  test('CSV import: good rows in E.164, bad rows reported by row, duplicates, re-import updates', async () => {
    const book = admin.directoryContacts(ws);
    const csv = [
      '\uFEFFName,Title,Department,Phone,Mobile,Email',
      'Sam Spreadsheet,Buyer,Purchasing,02 9374 4100,0412 000 111,sam@example.com',
      '"Lee, Jordan","Head of ""Ops""",Operations,+61 2 9374 4101,,',
      'No Numbers,Contractor,,,,nonumbers@example.com',
      'Bad Phone,,,12345,,',
      ',Nameless,,,,',
      'Half Good,,,02 9374 4102,not a mobile,',
      'Bad Email,,,,,not-an-email',
      'Short row,only',
      'sam spreadsheet,Again,,,,',
      '',
      'IT Helpdesk,Service desk (24x7),,,,',
      '"Multi',
      'Line",,,,,',
    ].join('\r\n');
    const result = await book.importCsv(csv);
    assert.deepEqual(
      result.rejected.map((r) => r.row),
      [5, 6, 7, 8, 9, 10],
      JSON.stringify(result.rejected),
    );
    const reasons = Object.fromEntries(result.rejected.map((r) => [r.row, r.reason]));
    assert.match(reasons[5] ?? '', /phone number that is not a valid phone number in AU: "12345"/);
    assert.match(reasons[6] ?? '', /no name/);
    assert.match(reasons[7] ?? '', /mobile number that is not a valid phone number/);
    assert.match(reasons[8] ?? '', /email that is not one/);
    assert.match(reasons[9] ?? '', /has 2 fields where the header has 6/);
    assert.match(reasons[10] ?? '', /names "sam spreadsheet" again \(first in row 2\)/);
    assert.deepEqual([result.created, result.updated], [4, 1]);

    const byName = new Map((await book.list()).map((c) => [c.name, c]));
    assert.deepEqual(byName.get('Sam Spreadsheet')?.phones, [
      { number: '+61293744100', kind: 'work' },
      { number: '+61412000111', kind: 'mobile' },
    ]);
    assert.equal(byName.get('Lee, Jordan')?.title, 'Head of "Ops"');
    assert.deepEqual(byName.get('No Numbers')?.phones, []);
    assert.ok(byName.has('Multi Line'), 'a line break inside a cell is a space');
    // A rejected row writes nothing, not even its good fields.
    assert.ok(!byName.has('Half Good') && !byName.has('Bad Phone'));
    // The contact of the same name was updated: the file's empty cells empty its fields.
    const helpdesk = byName.get('IT Helpdesk');
    assert.equal(helpdesk?.title, 'Service desk (24x7)');
    assert.deepEqual(helpdesk?.phones, [], 'the file has the phone columns: its empty cells clear them');

    // The same file again adds nothing.
    const again = await book.importCsv(csv);
    assert.deepEqual([again.created, again.updated, again.rejected.length], [0, 5, 6]);
    // A file without a column leaves that field of existing contacts alone.
    const titles = await book.importCsv('name,title\nSam Spreadsheet,Senior buyer\n');
    assert.deepEqual([titles.created, titles.updated], [0, 1]);
    const sam = (await book.list()).find((c) => c.name === 'Sam Spreadsheet');
    assert.equal(sam?.title, 'Senior buyer');
    assert.equal(sam?.phones.length, 2);
    assert.equal(sam?.email, 'sam@example.com');

    // Numbers are read in the workspace's own default country where it set one.
    await admin.settings(ws).update({
      dialPlan: { defaultCountry: 'GB', allowedPrefixes: ['+44'], blockedPrefixes: [] },
    });
    try {
      await book.importCsv('name,phone\nLondon Office,020 7946 0018\n');
    } finally {
      await admin.settings(ws).update({ dialPlan: null });
    }
    const london = (await book.list()).find((c) => c.name === 'London Office');
    assert.deepEqual(london?.phones, [{ number: '+442079460018', kind: 'work' }]);
  });

  test('CSV import: a file that cannot be read is refused whole, and a failed write leaves nothing', async () => {
    const book = admin.directoryContacts(ws);
    const before = (await book.list()).length;
    await assert.rejects(book.importCsv('name,phone,fax\nA,,\n'), (e: unknown) => {
      failsWith('CSV_INVALID', 400)(e);
      assert.match((e as ApiError).message, /Unknown column "fax"/);
      return true;
    });
    await assert.rejects(book.importCsv('title,phone\nA,\n'), failsWith('CSV_INVALID', 400));
    await assert.rejects(book.importCsv(''), failsWith('CSV_INVALID', 400));
    await assert.rejects(book.importCsv('name\n"Open quote\n'), failsWith('CSV_INVALID', 400));
    await assert.rejects(
      book.importCsv(new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe])),
      (e: unknown) => {
        failsWith('CSV_INVALID', 400)(e);
        assert.match((e as ApiError).message, /UTF-8/);
        return true;
      },
    );
    const tooMany = `name\n${Array.from({ length: 5001 }, (_, i) => `Person ${i}`).join('\n')}\n`;
    await assert.rejects(book.importCsv(tooMany), failsWith('CSV_INVALID', 400));
    await assert.rejects(
      book.importCsv(`name\n${'x'.repeat(1024 * 1024)}\n`),
      failsWith('BODY_TOO_LARGE', 400),
    );
    const asJson = await raw(`${server.url}/api/workspaces/${ws}/directory/contacts/import`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: admin.sessionCookie ?? '',
        [CSRF_HEADER]: admin.csrf ?? '',
      },
      body: '{"name":"x"}',
    });
    assert.equal(asJson.body.error?.code, 'UNSUPPORTED_MEDIA_TYPE');

    // The database refuses one row late in a long file: every row before it is rolled back.
    const db = server.database.db;
    const { sql } = await import('kysely');
    await sql`
      create function refuse_explode() returns trigger language plpgsql as $$
      begin
        if new.name = 'Explode' then raise exception 'refused for the test'; end if;
        return new;
      end $$;
      create trigger refuse_explode before insert on directory_contacts
        for each row execute function refuse_explode();
    `.execute(db);
    try {
      const rows = Array.from({ length: 700 }, (_, i) => (i === 650 ? 'Explode' : `Bulk ${i}`));
      await assert.rejects(book.importCsv(`name\n${rows.join('\n')}\n`), failsWith('INTERNAL', 500));
    } finally {
      await sql`drop trigger refuse_explode on directory_contacts; drop function refuse_explode();`.execute(
        db,
      );
    }
    assert.equal((await book.list()).length, before, 'nothing of the failed import was kept');
  });

  test('Graph settings: the client secret is sealed at rest and never returned', async () => {
    const settings = admin.graphDirectory(ws);
    assert.deepEqual(await settings.get(), {
      enabled: false,
      tenantId: null,
      clientId: null,
      clientSecretSet: false,
      updatedAt: null,
    });
    await assert.rejects(
      settings.update({ enabled: true, tenantId: graph.tenantId, clientId: graph.clientId }),
      failsWith('VALIDATION_FAILED', 400),
    );
    await assert.rejects(
      settings.update({
        enabled: true,
        tenantId: 'not a tenant',
        clientId: graph.clientId,
        clientSecret: 'x',
      }),
      failsWith('VALIDATION_FAILED', 400),
    );
    const saved = await settings.update({
      enabled: false,
      tenantId: graph.tenantId,
      clientId: graph.clientId,
      clientSecret: graph.clientSecret,
    });
    assert.deepEqual([saved.enabled, saved.clientSecretSet, saved.tenantId], [false, true, graph.tenantId]);
    const read = await raw(`${server.url}/api/workspaces/${ws}/directory/graph`, {
      headers: { cookie: admin.sessionCookie ?? '' },
    });
    assert.equal(read.status, 200);
    assert.ok(!JSON.stringify(read.body).includes(graph.clientSecret), 'the secret is not in the answer');
    assert.ok(!('clientSecret' in read.body));

    const row = await server.database.db
      .selectFrom('directory_graph_settings')
      .select('client_secret_sealed')
      .where('workspace_id', '=', ws)
      .executeTakeFirstOrThrow();
    const sealed = row.client_secret_sealed ?? '';
    assert.match(sealed, /^v1\./);
    assert.ok(!sealed.includes(graph.clientSecret));
    assert.ok(!Buffer.from(sealed.slice(3), 'base64url').toString('latin1').includes(graph.clientSecret));

    // Saving without a secret keeps the stored one as it was.
    await settings.update({ enabled: false, tenantId: graph.tenantId, clientId: graph.clientId });
    const kept = await server.database.db
      .selectFrom('directory_graph_settings')
      .select('client_secret_sealed')
      .where('workspace_id', '=', ws)
      .executeTakeFirstOrThrow();
    assert.equal(kept.client_secret_sealed, sealed);

    await assert.rejects(manager.graphDirectory(ws).get(), failsWith('FORBIDDEN_ROLE', 403));
    await assert.rejects(
      agent.graphDirectory(ws).update({ enabled: false, tenantId: graph.tenantId, clientId: graph.clientId }),
      failsWith('FORBIDDEN_ROLE', 403),
    );
  });

  test('search: the workspace’s contacts for any signed-in user; no phone, not dialable', async () => {
    const found = await agent.searchDirectory('numbers');
    assert.deepEqual(names(found), ['workspace:No Numbers']);
    assert.equal(found.contacts[0]?.dialable, false);
    assert.equal(found.warning, undefined, 'Graph is off: nothing to warn of');
    const sam = (await agent.searchDirectory('  SPREAD ')).contacts[0];
    assert.deepEqual(sam && [sam.source, sam.dialable, sam.email, sam.title], [
      'workspace',
      true,
      'sam@example.com',
      'Senior buyer',
    ]);
    assert.ok(sam?.id.startsWith('workspace:'));
    // `%` and `_` are letters here, not wildcards.
    assert.deepEqual((await agent.searchDirectory('%%')).contacts, []);

    await assert.rejects(agent.searchDirectory('a'), failsWith('VALIDATION_FAILED', 400));
    await assert.rejects(agent.searchDirectory(' a '), failsWith('VALIDATION_FAILED', 400));
    await assert.rejects(agent.searchDirectory('x'.repeat(101)), failsWith('VALIDATION_FAILED', 400));
    await assert.rejects(server.client().searchDirectory('sam'), failsWith('UNAUTHENTICATED', 401));
    assert.equal(graph.requests.length, 0, 'Graph is not asked while it is off');
  });

  test('search with Graph: token by client credentials, $search with ConsistencyLevel, merged results', async () => {
    await graphOn();
    const found = await agent.searchDirectory('Ad');
    assert.equal(found.warning, undefined, found.warning);
    assert.deepEqual(names(found), ['microsoft-graph:Adam Nophone', 'microsoft-graph:Adele Vance']);
    const [adam, adele] = found.contacts;
    assert.deepEqual(adele, {
      id: 'graph:00000000-0000-4000-8000-000000000000',
      source: 'microsoft-graph',
      name: 'Adele Vance',
      title: 'Retail Manager',
      department: 'Retail',
      phones: [
        { number: '+14255550109', kind: 'work' },
        { number: '+61412111222', kind: 'mobile' },
      ],
      email: 'AdeleV@contoso.example',
      dialable: true,
    });
    assert.deepEqual([adam?.phones, adam?.dialable], [[], false]);

    // msal-node's discovery and token request, as Entra ID sees them.
    const [discovery] = graph.seen('/.well-known/openid-configuration');
    assert.equal(discovery?.path, `/${graph.tenantId}/v2.0/.well-known/openid-configuration`);
    const [tokenRequest, ...moreTokens] = graph.seen('/oauth2/v2.0/token');
    assert.equal(moreTokens.length, 0);
    assert.equal(tokenRequest?.method, 'POST');
    assert.equal(tokenRequest?.form.get('grant_type'), 'client_credentials');
    assert.equal(tokenRequest?.form.get('client_id'), graph.clientId);
    assert.equal(tokenRequest?.form.get('client_secret'), graph.clientSecret);
    assert.equal(tokenRequest?.form.get('scope'), 'https://graph.microsoft.com/.default');
    // The search, as Graph sees it.
    const [search] = graph.seen('/v1.0/users');
    assert.equal(search?.query.get('$search'), '"displayName:Ad"');
    assert.equal(search?.headers.consistencylevel, 'eventual');
    assert.match(search?.headers.authorization ?? '', /^Bearer eyJ/);
    assert.deepEqual(search?.query.get('$select')?.split(',').sort(), [
      'businessPhones',
      'department',
      'displayName',
      'id',
      'jobTitle',
      'mail',
      'mobilePhone',
    ]);
    assert.equal(search?.query.get('$top'), '25');

    // Both sources at once, by name; a number Graph holds that is not one is left out.
    const mixed = await agent.searchDirectory('Ca');
    assert.deepEqual(names(mixed), ['microsoft-graph:Carla Oddnumbers']);
    assert.deepEqual(mixed.contacts[0]?.phones, [{ number: '+61293744001', kind: 'work' }]);
    // The same person in both (the same email, any case) is shown once, from the workspace.
    await admin.directoryContacts(ws).create({ name: 'Adele Vance', email: 'adelev@contoso.example' });
    await admin
      .directoryContacts(ws)
      .create({ name: 'Adrian Local', phones: [{ number: '0293740001', kind: 'work' }] });
    const merged = await agent.searchDirectory('Ad');
    assert.deepEqual(names(merged), [
      'microsoft-graph:Adam Nophone',
      'workspace:Adele Vance',
      'workspace:Adrian Local',
    ]);
    assert.deepEqual(merged.contacts[1]?.phones, [], 'the workspace’s entry, not Graph’s');
  });

  test('search with Graph: pages followed by @odata.nextLink, up to two', async () => {
    const before = graph.seen('/v1.0/users').length;
    const found = await agent.searchDirectory('Pager');
    const pages = graph.seen('/v1.0/users').slice(before);
    assert.equal(pages.length, 2, 'the third page is not asked for');
    assert.equal(pages[1]?.query.get('$skiptoken') !== null, true);
    assert.equal(pages[1]?.headers.consistencylevel, 'eventual');
    assert.equal(found.contacts.length, 50);
    assert.equal(found.contacts[49]?.name, 'Pager 50');
  });

  test('search with Graph: a repeated search within a minute is answered from the cache', async () => {
    const users = () => graph.seen('/v1.0/users').length;
    const tokens = () => graph.seen('/oauth2/v2.0/token').length;
    const [usersBefore, tokensBefore] = [users(), tokens()];
    const first = await agent.searchDirectory('Adele');
    assert.deepEqual([users(), tokens()], [usersBefore + 1, tokensBefore], 'the token is reused');
    const second = await manager.searchDirectory('adele');
    assert.deepEqual(second, first);
    assert.equal(users(), usersBefore + 1, 'the second search did not reach Graph');
    clock.advance(61_000);
    await agent.searchDirectory('Adele');
    assert.equal(users(), usersBefore + 2, 'a minute later Graph is asked again');
  });

  test('search with Graph: a 429 with Retry-After is waited out, then the answer is used', async () => {
    graph.throttleNext(1, { status: 429, retryAfter: '2' });
    const found = await whileWaiting(agent.searchDirectory('Bert'));
    assert.equal(found.warning, undefined, found.warning);
    assert.deepEqual(names(found), ['microsoft-graph:Bert Throttled']);
    const [throttled, retried] = graph
      .seen('/v1.0/users')
      .filter((r) => r.query.get('$search') === '"displayName:Bert"');
    assert.ok(throttled && retried);
    assert.ok(retried.at - throttled.at >= 2000, `retried ${retried.at - throttled.at} ms later`);

    // Asked to wait past the budget: busy, in words, and the workspace's contacts still come.
    graph.throttleNext(1, { status: 503, retryAfter: '30' });
    const busy = await agent.searchDirectory('Sam');
    assert.equal(busy.warningCode, 'DIRECTORY_BUSY');
    assert.match(busy.warning ?? '', /busy.*Showing this workspace’s own contacts only/s);
    assert.deepEqual(names(busy), ['workspace:Sam Spreadsheet']);
    // Until the Retry-After has passed, Graph is not asked again.
    const asked = graph.seen('/v1.0/users').length;
    assert.equal((await agent.searchDirectory('Samuel')).warningCode, 'DIRECTORY_BUSY');
    assert.equal(graph.seen('/v1.0/users').length, asked);
    clock.advance(31_000);
    assert.equal((await agent.searchDirectory('Samuel')).warning, undefined);
  });

  test('search with Graph: bad credentials or an outage give a clear warning, and workspace contacts', async () => {
    await graphOn('not-the-secret');
    const refused = await agent.searchDirectory('Sam');
    assert.equal(refused.warningCode, 'DIRECTORY_AUTH_FAILED');
    assert.match(refused.warning ?? '', /refused the directory’s sign-in \(AADSTS7000215\).*client secret/);
    assert.deepEqual(names(refused), ['workspace:Sam Spreadsheet']);
    assert.equal(graph.seen('/oauth2/v2.0/token').at(-1)?.form.get('client_secret'), 'not-the-secret');
    await assert.rejects(admin.graphDirectory(ws).check(), failsWith('DIRECTORY_AUTH_FAILED', 502));

    await admin.graphDirectory(ws).update({
      enabled: true,
      tenantId: 'contoso-typo.onmicrosoft.com',
      clientId: graph.clientId,
      clientSecret: graph.clientSecret,
    });
    const unknownTenant = await agent.searchDirectory('Sam');
    assert.equal(unknownTenant.warningCode, 'DIRECTORY_AUTH_FAILED');
    assert.match(unknownTenant.warning ?? '', /does not know the tenant "contoso-typo.onmicrosoft.com"/);

    await graphOn();
    await admin.graphDirectory(ws).check();
    graph.down = true;
    try {
      const outage = await agent.searchDirectory('Lee');
      assert.equal(outage.warningCode, 'DIRECTORY_UNAVAILABLE');
      assert.match(outage.warning ?? '', /cannot be reached/);
      assert.deepEqual(names(outage), ['workspace:Lee, Jordan']);
    } finally {
      graph.down = false;
    }
    clock.advance(16_000);
    assert.equal((await agent.searchDirectory('Lee')).warning, undefined, 'back once Graph is');
  });

  test('search: one user may not flood it', async () => {
    const cleo = await server.signIn('agent3');
    for (let i = 0; i < 20; i++) await cleo.searchDirectory(`zz${i}`);
    await assert.rejects(cleo.searchDirectory('zz-over'), (e: unknown) => {
      failsWith('RATE_LIMITED', 429)(e);
      assert.ok(((e as ApiError).retryAfterSeconds ?? 0) >= 1);
      return true;
    });
    await agent.searchDirectory('zz-other'); // another user is not held back
    clock.advance(10_000);
    await cleo.searchDirectory('zz-later');
  });
});
