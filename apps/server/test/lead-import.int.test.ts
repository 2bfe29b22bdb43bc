import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ApiError, type HttpClient } from '@parley/client';
import { CSRF_HEADER, DEFAULT_LEAD_RULES, type Lead, type LeadImport } from '@parley/contract';
import { sql } from 'kysely';
import { raw, startTestServer, type TestServer } from './helpers.js';

const failsWith = (code: string, status: number) => (e: unknown) => {
  assert.ok(e instanceof ApiError, String(e));
  assert.equal(`${e.code} ${e.status}`, `${code} ${status}`, e.message);
  return true;
};

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** A CSV made as it is sent, a chunk of rows at a time: never a whole file in memory. */
function generatedCsv(header: string, rows: number, row: (i: number) => string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(encoder.encode(`${header}\r\n`));
    },
    pull(c) {
      if (i >= rows) return c.close();
      const lines: string[] = [];
      for (const end = Math.min(rows, i + 500); i < end; i++) lines.push(row(i));
      c.enqueue(encoder.encode(`${lines.join('\r\n')}\r\n`));
    },
  });
}

describe('lead lists and the CSV import of leads (G8); the do-not-call list', () => {
  let server: TestServer;
  let ws: string;
  let admin: HttpClient;
  let manager: HttpClient;
  let agent: HttpClient;
  let preview: string;
  let inbound: string;

  const wait = (job: LeadImport) => admin.leadImports(ws).wait(job.id, { intervalMs: 50 });
  async function allLeads(listId: string): Promise<Lead[]> {
    const out: Lead[] = [];
    let after: string | undefined;
    do {
      const page = await admin.leadLists(ws).leads(listId, { limit: '500', ...(after && { after }) });
      out.push(...page.leads);
      after = page.next ?? undefined;
    } while (after);
    return out;
  }

  before(async () => {
    server = await startTestServer();
    ws = server.workspaceId;
    admin = await server.signIn('admin');
    manager = await server.signIn('manager');
    agent = await server.signIn('agent1');
    const campaigns = await admin.campaigns(ws).list();
    preview = campaigns.find((c) => c.kind === 'outbound_preview')?.id ?? '';
    inbound = campaigns.find((c) => c.kind === 'inbound_voice')?.id ?? '';
    // Numbers read in Australia; leads whose zone cannot be told keep Sydney's.
    const rules = { ...DEFAULT_LEAD_RULES, defaultCountry: 'AU', timeZone: 'Australia/Sydney' };
    await sql`update campaigns set lead_rules = ${JSON.stringify(rules)}::jsonb where id = ${preview}`.execute(
      server.database.db,
    );
  });
  after(async () => {
    await server?.close();
  });

  test('lead lists: outbound campaigns only, administrators write, managers read, agents are refused', async () => {
    const lists = admin.leadLists(ws);
    const list = await lists.create({ campaignId: preview, name: ' Spring 2026 ' });
    assert.deepEqual([list.name, list.campaignId, list.leads], ['Spring 2026', preview, 0]);
    await assert.rejects(
      lists.create({ campaignId: preview, name: 'Spring 2026' }),
      failsWith('CONFLICT', 409),
    );
    await assert.rejects(lists.create({ campaignId: inbound, name: 'Inbound' }), (e: unknown) => {
      failsWith('CAMPAIGN_NOT_OUTBOUND', 400)(e);
      assert.match((e as ApiError).message, /kind inbound_voice: lead lists belong to outbound campaigns/);
      return true;
    });
    await assert.rejects(
      lists.create({ campaignId: '00000000-0000-4000-8000-000000000000', name: 'Nowhere' }),
      failsWith('VALIDATION_FAILED', 400),
    );
    assert.deepEqual(await manager.leadLists(ws).get(list.id), list);
    assert.ok((await manager.leadLists(ws).list(preview)).some((l) => l.id === list.id));
    await assert.rejects(
      manager.leadLists(ws).create({ campaignId: preview, name: 'Mgr' }),
      failsWith('FORBIDDEN_ROLE', 403),
    );
    await assert.rejects(agent.leadLists(ws).list(), failsWith('FORBIDDEN_ROLE', 403));
    await assert.rejects(
      agent.leadLists(ws).importCsv(list.id, 'Mobile\n0412 345 678\n', { phone: 'Mobile' }),
      failsWith('FORBIDDEN_ROLE', 403),
    );
    await assert.rejects(agent.doNotCall(ws).list(), failsWith('FORBIDDEN_ROLE', 403));
    await assert.rejects(
      admin.leadLists('00000000-0000-4000-8000-000000000000').list(),
      failsWith('FORBIDDEN_WORKSPACE', 403),
    );
    await lists.remove(list.id);
    await assert.rejects(lists.get(list.id), failsWith('NOT_FOUND', 404));
  });

  test('an import: good rows in E.164, bad numbers, duplicates in the file and in the list, zones, a report line by line', async () => {
    const lists = admin.leadLists(ws);
    const list = await lists.create({ campaignId: preview, name: 'Renewals A' });
    // A lead already in the list.
    const first = await wait(
      await lists.importCsv(list.id, 'Mobile,Name\n0413 000 111,Existing\n', { phone: 'Mobile' }),
    );
    assert.deepEqual([first.status, first.imported], ['completed', 1]);

    const csv = [
      '\uFEFFFirst Name,Last Name,Mobile,Home,Time Zone,Priority,Notes', // line 1
      'Ann,Archer,0412 345 678,(02) 9374 4000,,5,Likes mornings', // 2: imported
      'Ben,Baker,12345,,,,', // 3: not a number
      '"Cy, Jr",Carter,+44 20 7946 0018,,Mars/Olympus,,"Two lines,', // 4-5: a comma and a line break
      'with a comma"',
      'Di,Dune,0412 345 678,,,,', // 6: Ann's mobile again
      'Ed,Early,04 1300 0111,,,,', // 7: the lead already in the list
      'Fay,Fox,,,Asia/Tokyo,,', // 8: no number
      'Gus,Gray,0414 000 222,,asia/tokyo,high,', // 9: not a priority
      '', // 10: blank, skipped
      'Hal,Hill,,0414 000 333,asia/tokyo,-2,', // 11: imported, Tokyo
      'Ivy,Ives,+64 21 123 4567,,,,', // 12: New Zealand: two local times, the campaign's zone
    ].join('\r\n');
    const started = await lists.importCsv(list.id, csv, {
      phone: ['mobile', 'Home'],
      timeZone: 'Time Zone',
      priority: 'Priority',
    });
    assert.equal(started.status, 'importing');
    assert.deepEqual(started.mapping, {
      phone: ['mobile', 'Home'],
      timeZone: 'Time Zone',
      priority: 'Priority',
      delimiter: ',',
    });
    const job = await wait(started);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.deepEqual(
      [job.rowsRead, job.imported, job.duplicates, job.rejected, job.reportLines],
      [9, 4, 2, 3, 6],
    );
    assert.equal(job.bytes, Buffer.byteLength(csv));
    assert.equal(job.error, null);
    assert.ok(job.finishedAt);

    const report = await admin.leadImports(ws).report(job.id);
    assert.deepEqual(report.split('\r\n'), [
      'line,column,value,outcome,reason',
      '3,Mobile,12345,rejected,not a valid phone number in AU',
      "4,Time Zone,Mars/Olympus,imported,not a time zone; the lead has Europe/London (its number's country)",
      '6,Mobile,0412 345 678,duplicate,duplicate of line 2: +61412345678',
      '7,Mobile,04 1300 0111,duplicate,already in the list: +61413000111',
      '8,Mobile / Home,,rejected,no phone number in any phone column',
      '9,Priority,high,rejected,not a whole number from -1000000 to 1000000',
      '',
    ]);

    const leads = await allLeads(list.id);
    const byName = new Map(leads.map((l) => [l.fields['First Name'], l]));
    assert.deepEqual([...byName.keys()], [undefined, 'Ann', 'Cy, Jr', 'Hal', 'Ivy']);
    const ann = byName.get('Ann');
    assert.deepEqual(ann?.fields, { 'First Name': 'Ann', 'Last Name': 'Archer', Notes: 'Likes mornings' });
    assert.deepEqual(
      ann?.numbers.map((n) => [n.label, n.number, n.attempts, n.completed, n.lastOutcome]),
      [
        ['Mobile', '+61412345678', 0, false, null],
        ['Home', '+61293744000', 0, false, null],
      ],
    );
    assert.deepEqual(
      [ann?.timeZone, ann?.priority, ann?.lastOutcome, ann?.done, ann?.listId, ann?.campaignId],
      ['Australia/Sydney', 5, 'New Record', false, list.id, preview],
    );
    const cy = byName.get('Cy, Jr');
    assert.equal(cy?.fields.Notes, 'Two lines,\nwith a comma');
    assert.deepEqual([cy?.timeZone, cy?.numbers[0]?.number], ['Europe/London', '+442079460018']);
    const hal = byName.get('Hal');
    assert.deepEqual(
      [hal?.timeZone, hal?.priority, hal?.numbers.map((n) => `${n.label} ${n.number}`)],
      ['Asia/Tokyo', -2, ['Home +61414000333']],
    );
    assert.deepEqual([byName.get('Ivy')?.timeZone], ['Australia/Sydney']);
    assert.deepEqual(await lists.lead(list.id, ann?.id ?? ''), ann);
    assert.equal((await lists.get(list.id)).leads, 5);

    // Keyset pages, in the order the leads were added.
    const page1 = await manager.leadLists(ws).leads(list.id, { limit: '2' });
    const page2 = await manager.leadLists(ws).leads(list.id, { limit: '2', after: page1.next ?? '' });
    const page3 = await manager.leadLists(ws).leads(list.id, { limit: '2', after: page2.next ?? '' });
    assert.deepEqual(
      [...page1.leads, ...page2.leads, ...page3.leads].map((l) => l.id),
      leads.map((l) => l.id),
    );
    assert.equal(page3.next, null);

    // The import's history; the report is the administrators'.
    assert.deepEqual(
      (await manager.leadLists(ws).imports(list.id)).map((i) => [i.id, i.status]),
      [
        [job.id, 'completed'],
        [first.id, 'completed'],
      ],
    );
    await assert.rejects(manager.leadImports(ws).report(job.id), failsWith('FORBIDDEN_ROLE', 403));
    await assert.rejects(agent.leadImports(ws).get(job.id), failsWith('FORBIDDEN_ROLE', 403));

    // The same file again: every good row is now a duplicate.
    const again = await wait(
      await lists.importCsv(list.id, csv, {
        phone: ['Mobile', 'Home'],
        timeZone: 'Time Zone',
        priority: 'Priority',
      }),
    );
    assert.deepEqual([again.imported, again.duplicates, again.rejected], [0, 6, 3]);
  });

  test('duplicates across batches: of an earlier batch of the file by its line, of the list, not of another list', async () => {
    const lists = admin.leadLists(ws);
    const list = await lists.create({ campaignId: preview, name: 'Three batches' });
    const other = await lists.create({ campaignId: preview, name: 'Another list' });
    await wait(await lists.importCsv(list.id, 'Mobile\n0415 000 001\n', { phone: 'Mobile' }));
    await wait(await lists.importCsv(other.id, 'Mobile\n0415 000 002\n', { phone: 'Mobile' }));
    // 2,500 rows (three batches of the database's writes); line = i + 2.
    const mobile = (i: number) => `04${String(16_000_000 + i)}`;
    const row = (i: number) => {
      if (i === 1_500) return `${mobile(10)},`; // row 10's mobile, a batch later
      if (i === 2_400) return `0415 000 001,${mobile(2_400)}`; // already in the list
      if (i === 2_401) return `${mobile(2_401)},0415 000 002`; // only in the other list: imported
      if (i === 2_402) return `${mobile(2_402)},(02) 9${String(1_200).padStart(7, '0')}`; // row 1200's home
      return `${mobile(i)},${i % 100 === 0 ? `(02) 9${String(i).padStart(7, '0')}` : ''}`;
    };
    const job = await wait(
      await lists.importCsv(list.id, generatedCsv('Mobile,Home', 2_500, row), { phone: ['Mobile', 'Home'] }),
    );
    assert.deepEqual(
      [job.status, job.rowsRead, job.imported, job.duplicates, job.rejected, job.reportLines],
      ['completed', 2_500, 2_497, 3, 0, 3],
    );
    assert.deepEqual((await admin.leadImports(ws).report(job.id)).split('\r\n'), [
      'line,column,value,outcome,reason',
      `1502,Mobile,${mobile(10)},duplicate,duplicate of line 12: +61${mobile(10).slice(1)}`,
      '2402,Mobile,0415 000 001,duplicate,already in the list: +61415000001',
      '2404,Home,(02) 90001200,duplicate,duplicate of line 1202: +61290001200',
      '',
    ]);
    assert.equal((await lists.get(list.id)).leads, 2_498);
    const shared = (await allLeads(list.id)).find((l) => l.numbers.some((n) => n.number === '+61415000002'));
    assert.deepEqual(
      shared?.numbers.map((n) => [n.label, n.number]),
      [
        ['Mobile', `+61${mobile(2_401).slice(1)}`],
        ['Home', '+61415000002'],
      ],
    );
  });

  test('a file that stops being CSV fails with CSV_MALFORMED; what was read before it stays', async () => {
    const lists = admin.leadLists(ws);
    const list = await lists.create({ campaignId: preview, name: 'Broken file' });
    const good = Array.from(
      { length: 1500 },
      (_, i) => `0412 ${String(100_000 + i).slice(0, 3)} ${String(100_000 + i).slice(3)},Row ${i}`,
    );
    const csv = `Mobile,Name\n${good.join('\n')}\n0499 000 001,"Open quote\n0499 000 002,Never read\n`;
    const job = await wait(await lists.importCsv(list.id, csv, { phone: 'Mobile' }));
    assert.equal(job.status, 'failed');
    assert.equal(job.error?.code, 'CSV_MALFORMED');
    assert.equal(
      job.error?.message,
      'The row starting on line 1502 opens a quoted field that never closes. The 1,500 rows imported before it stay in the list.',
    );
    assert.deepEqual([job.rowsRead, job.imported], [1500, 1500]);
    assert.equal((await lists.get(list.id)).leads, 1500);

    // A header without the mapped column: nothing is read.
    const noColumn = await wait(
      await lists.importCsv(list.id, 'Phone,Name\n0412 000 001,A\n', { phone: 'Mobile' }),
    );
    assert.deepEqual(
      [noColumn.status, noColumn.error?.code, noColumn.rowsRead],
      ['failed', 'CSV_INVALID', 0],
    );
    assert.match(
      noColumn.error?.message ?? '',
      /no column "Mobile" \(the phone column\); it has "Phone", "Name"/,
    );
    const empty = await wait(await lists.importCsv(list.id, '', { phone: 'Mobile' }));
    assert.deepEqual([empty.status, empty.error?.code], ['failed', 'CSV_INVALID']);

    // Refused before anything is stored.
    await assert.rejects(
      lists.importCsv(list.id, 'Mobile\n', { phone: ['Mobile', 'mobile'] }),
      failsWith('VALIDATION_FAILED', 400),
    );
    await assert.rejects(
      lists.importCsv('00000000-0000-4000-8000-000000000000', 'Mobile\n', { phone: 'Mobile' }),
      failsWith('NOT_FOUND', 404),
    );
    const asJson = await raw(
      `${server.url}/api/workspaces/${ws}/lead-lists/${list.id}/imports?phone=Mobile`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: admin.sessionCookie ?? '',
          [CSRF_HEADER]: admin.csrf ?? '',
        },
        body: '{}',
      },
    );
    assert.equal(asJson.body.error?.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('one import at a time per list; the list is not deleted under it', async () => {
    const lists = admin.leadLists(ws);
    const list = await lists.create({ campaignId: preview, name: 'One at a time' });
    let finish: () => void = () => {};
    const held = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(new TextEncoder().encode('Mobile\n0412 555 001\n'));
        await new Promise<void>((r) => {
          finish = r;
        });
        c.enqueue(new TextEncoder().encode('0412 555 002\n'));
        c.close();
      },
    });
    const uploading = lists.importCsv(list.id, held, { phone: 'Mobile' });
    let running: LeadImport | undefined;
    for (let i = 0; i < 100 && !running; i++) {
      await new Promise((r) => setTimeout(r, 20));
      running = (await lists.imports(list.id))[0];
    }
    assert.equal(running?.status, 'uploading');
    await assert.rejects(
      lists.importCsv(list.id, 'Mobile\n0412 555 003\n', { phone: 'Mobile' }),
      failsWith('IMPORT_RUNNING', 409),
    );
    await assert.rejects(lists.remove(list.id), failsWith('IMPORT_RUNNING', 409));
    finish();
    const job = await wait(await uploading);
    assert.deepEqual([job.status, job.imported], ['completed', 2]);

    // Deleting the list takes its leads and its reports with it.
    const reports = path.join(server.store.dataDir, 'lead-imports', ws);
    assert.ok(existsSync(path.join(reports, `${job.id}.report.csv`)));
    await lists.remove(list.id);
    assert.ok(!existsSync(path.join(reports, `${job.id}.report.csv`)));
    assert.ok(!readdirSync(reports).some((f) => f.endsWith('.upload.csv')), 'no upload is left behind');
    const left = await server.database.db
      .selectFrom('leads')
      .select('id')
      .where('list_id', '=', list.id)
      .execute();
    assert.equal(left.length, 0);
  });

  test('50,000 generated rows stream in with a flat heap', async () => {
    const list = await admin.leadLists(ws).create({ campaignId: preview, name: 'Big file' });
    const rows = 50_000;
    const notes = 'x'.repeat(300);
    const body = generatedCsv(
      'Mobile,Name,Notes',
      rows,
      (i) => `04${String(20_000_000 + i)},Lead ${i},${notes}`,
    );
    gc();
    const baseline = process.memoryUsage().heapUsed;
    // The live heap (collected first), sampled while the file is sent and imported.
    let peak = baseline;
    const sampler = setInterval(() => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 500);
    const startedAt = Date.now();
    let job: LeadImport;
    try {
      job = await admin
        .leadImports(ws)
        .wait((await admin.leadLists(ws).importCsv(list.id, body, { phone: 'Mobile' })).id, {
          intervalMs: 200,
        });
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - startedAt) / 1000;
    gc();
    const afterGc = process.memoryUsage().heapUsed;
    const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
    console.log(
      `# ${rows} rows, ${mb(job.bytes)} MB: ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s); heap ${mb(baseline)} MB before, live peak +${mb(peak - baseline)} MB, +${mb(afterGc - baseline)} MB after`,
    );
    assert.deepEqual(
      [job.status, job.rowsRead, job.imported, job.duplicates, job.rejected],
      ['completed', rows, rows, 0, 0],
    );
    assert.equal((await admin.leadLists(ws).get(list.id)).leads, rows);
    // The file is ~16 MB: held whole, its text and rows alone would add several times that.
    assert.ok(peak - baseline < 24 * 1024 * 1024, `peak live heap growth ${mb(peak - baseline)} MB`);
    assert.ok(afterGc - baseline < 16 * 1024 * 1024, `heap growth after ${mb(afterGc - baseline)} MB`);
  });

  test('the do-not-call list: numbers in E.164 by the workspace’s country; add, page, remove, import', async () => {
    const dnc = admin.doNotCall(ws);
    const added = await dnc.add({ number: '0412 999 001', reason: 'Asked on the phone' });
    assert.deepEqual([added.number, added.reason], ['+61412999001', 'Asked on the phone']);
    await assert.rejects(dnc.add({ number: '+61 412 999 001' }), failsWith('DUPLICATE_NUMBER', 409));
    await assert.rejects(dnc.add({ number: '12' }), failsWith('VALIDATION_FAILED', 400));
    await assert.rejects(
      manager.doNotCall(ws).add({ number: '0412 999 002' }),
      failsWith('FORBIDDEN_ROLE', 403),
    );
    assert.deepEqual(await manager.doNotCall(ws).get('+61412999001'), added);

    const csv =
      'Phone,Why\n0412 999 002,Complained\nnot a number,\n0412 999 003,\n+61412999002,again\n0412 999 001,known\n';
    const job = await wait(await dnc.importCsv(csv, { number: 'phone', reason: 'Why' }));
    assert.deepEqual(
      [job.status, job.kind, job.listId, job.rowsRead, job.imported, job.duplicates, job.rejected],
      ['completed', 'do_not_call', null, 5, 2, 2, 1],
    );
    assert.deepEqual((await admin.leadImports(ws).report(job.id)).split('\r\n'), [
      'line,column,value,outcome,reason',
      '3,Phone,not a number,rejected,not a valid phone number in AU',
      '5,Phone,+61412999002,duplicate,duplicate of line 2: +61412999002',
      '6,Phone,0412 999 001,duplicate,already on the do-not-call list: +61412999001',
      '',
    ]);
    assert.deepEqual(
      (await dnc.imports()).map((i) => i.id),
      [job.id],
    );

    const page1 = await manager.doNotCall(ws).list({ limit: '2' });
    const page2 = await manager.doNotCall(ws).list({ limit: '2', after: page1.next ?? '' });
    assert.deepEqual(
      [...page1.entries, ...page2.entries].map((e) => `${e.number} ${e.reason}`),
      ['+61412999001 Asked on the phone', '+61412999002 Complained', '+61412999003 '],
    );
    assert.equal(page2.next, null);

    await dnc.remove('0412 999 003');
    await assert.rejects(dnc.remove('+61412999003'), failsWith('NOT_FOUND', 404));
    await assert.rejects(manager.doNotCall(ws).remove('+61412999001'), failsWith('FORBIDDEN_ROLE', 403));
    assert.equal((await dnc.list()).entries.length, 2);
  });
});
