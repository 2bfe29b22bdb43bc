import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApiError, type HttpClient } from '@parley/client';
import { CSRF_HEADER } from '@parley/contract';
import { hashSecret } from '../src/auth/password.js';
import { startTestServer, type TestServer } from './helpers.js';
import { soxTone } from './sox.js';
import { buildTeam } from './toolbar.js';

const failsWith = (code: string, status: number) => (e: unknown) => {
  assert.ok(e instanceof ApiError, String(e));
  assert.equal(`${e.code} ${e.status}`, `${code} ${status}`, e.message);
  return true;
};

/** A WAV made by sox: `seconds` of a 440 Hz tone at the given rate and channels. */
function soxWav(dir: string, rate: number, channels: number, seconds: number): Buffer {
  const file = path.join(dir, `tone-${rate}-${channels}-${seconds}.wav`);
  return readFileSync(soxTone(file, { hz: 440, seconds, rate, channels }));
}

/** A PCM WAV header and `dataBytes` bytes of silence (8-bit samples are unsigned: 128). */
function handMadeWav(o: { rate: number; channels: number; bits: number; dataBytes: number }): Buffer {
  const h = Buffer.alloc(44);
  const block = (o.channels * o.bits) / 8;
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + o.dataBytes, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(o.channels, 22);
  h.writeUInt32LE(o.rate, 24);
  h.writeUInt32LE(o.rate * block, 28);
  h.writeUInt16LE(block, 32);
  h.writeUInt16LE(o.bits, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(o.dataBytes, 40);
  return Buffer.concat([h, Buffer.alloc(o.dataBytes, o.bits === 8 ? 128 : 0)]);
}

describe('campaign transfer pools and announcements (issue #14, admin API and storage)', () => {
  let server: TestServer;
  let admin: HttpClient;
  let manager: HttpClient;
  let stranger: HttpClient;
  let otherWs: string;
  let ws: string;
  let scratch: string;

  before(async () => {
    server = await startTestServer();
    ws = server.workspaceId;
    admin = await server.signIn('admin');
    manager = await server.signIn('manager');
    scratch = mkdtempSync(path.join(tmpdir(), 'parley-announce-'));
    // An administrator of another workspace.
    const db = server.database.db;
    const other = await db
      .insertInto('workspaces')
      .values({ slug: 'elsewhere', name: 'Elsewhere Ltd' })
      .returning('id')
      .executeTakeFirstOrThrow();
    otherWs = other.id;
    await db
      .insertInto('users')
      .values({
        workspace_id: other.id,
        username: 'elsewhere-admin',
        display_name: 'Their admin',
        role: 'administrator',
        password_hash: await hashSecret('their-password-123'),
      })
      .execute();
    stranger = await server.signIn('elsewhere-admin', 'their-password-123');
  });
  after(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await server.close();
  });

  test('transfer pool: CRUD in E.164, dial plan refusals, duplicates, and who may read it', async () => {
    const mine = await buildTeam(server, admin, { agents: 1 });
    const theirs = await buildTeam(server, admin, { agents: 1 });
    const agent = mine.agents[0]?.client;
    const otherAgent = theirs.agents[0]?.client;
    assert.ok(agent && otherAgent);
    const pool = admin.transferPool(ws, mine.campaign.id);

    const sales = await pool.create({ name: 'Sales desk', number: '02 9374 4000' });
    assert.equal(sales.number, '+61293744000', 'read in the default country (AU), kept in E.164');
    assert.equal(sales.campaignId, mine.campaign.id);
    const mobile = await pool.create({ name: ' Escalations ', number: '+61 412 345 678', position: 1 });
    assert.equal(mobile.name, 'Escalations');
    assert.deepEqual(
      (await pool.list()).map((d) => [d.name, d.number]),
      [
        ['Sales desk', '+61293744000'],
        ['Escalations', '+61412345678'],
      ],
    );
    assert.deepEqual(await pool.get(sales.id), sales);

    // The same number however it is written: refused with a stable code, nothing added.
    await assert.rejects(
      pool.create({ name: 'Sales again', number: '+61293744000' }),
      failsWith('DUPLICATE_NUMBER', 409),
    );
    await assert.rejects(
      pool.create({ name: 'Sales 3', number: '(02) 9374-4000' }),
      failsWith('DUPLICATE_NUMBER', 409),
    );
    await assert.rejects(
      pool.update(mobile.id, { number: '0293744000' }),
      failsWith('DUPLICATE_NUMBER', 409),
    );
    await assert.rejects(
      pool.create({ name: 'Sales desk', number: '0298765432' }),
      failsWith('CONFLICT', 409),
    );
    // Another campaign may hold the same number.
    const theirPool = admin.transferPool(ws, theirs.campaign.id);
    await theirPool.create({ name: 'Sales desk', number: '0293744000' });

    // What the dial plan refuses is refused at save, with the reason.
    const refused = (number: string, why: RegExp) =>
      assert.rejects(pool.create({ name: `Refused ${number}`, number }), (e: unknown) => {
        failsWith('DIAL_PLAN_REFUSED', 403)(e);
        assert.match((e as ApiError).message, why);
        return true;
      });
    await refused('+44 20 7946 0018', /outside the countries and prefixes/);
    await refused('not a number', /not a valid phone number/);
    await refused('+61 1900 123 456', /.+/);
    await assert.rejects(
      pool.update(sales.id, { number: '+1 212 555 0100' }),
      failsWith('DIAL_PLAN_REFUSED', 403),
    );
    await assert.rejects(
      pool.create({ name: 'Desk', number: 'sip:100@10.0.0.5' }),
      failsWith('VALIDATION_FAILED', 400),
    );
    // The workspace's own dial plan is the one applied.
    await admin.settings(ws).update({
      dialPlan: { defaultCountry: 'GB', allowedPrefixes: ['+44'], blockedPrefixes: ['+449'] },
    });
    try {
      const london = await pool.create({ name: 'London', number: '020 7946 0018' });
      assert.equal(london.number, '+442079460018');
      await assert.rejects(
        pool.create({ name: 'Sydney', number: '+61 2 9374 4001' }),
        failsWith('DIAL_PLAN_REFUSED', 403),
      );
      await pool.remove(london.id);
    } finally {
      await admin.settings(ws).update({ dialPlan: null });
    }
    assert.equal((await pool.list()).length, 2, 'refused saves added nothing');

    const renamed = await pool.update(mobile.id, {
      name: 'Team leader',
      number: '0412 000 111',
      position: 0,
    });
    assert.deepEqual([renamed.name, renamed.number, renamed.position], ['Team leader', '+61412000111', 0]);

    // Managers read; only administrators change it.
    assert.equal((await manager.transferPool(ws, mine.campaign.id).list()).length, 2);
    await assert.rejects(
      manager.transferPool(ws, mine.campaign.id).create({ name: 'Mgr', number: '0299990000' }),
      failsWith('FORBIDDEN_ROLE', 403),
    );
    // The campaign's agents list it for the transfer dialog; an agent of another team cannot.
    assert.deepEqual((await agent.campaignTransferPool(mine.campaign.id)).map((d) => d.number).sort(), [
      '+61293744000',
      '+61412000111',
    ]);
    await assert.rejects(agent.transferPool(ws, mine.campaign.id).list(), failsWith('FORBIDDEN_ROLE', 403));
    await assert.rejects(otherAgent.campaignTransferPool(mine.campaign.id), failsWith('NOT_FOUND', 404));
    assert.equal((await manager.campaignTransferPool(mine.campaign.id)).length, 2);
    // Another workspace's administrator: not their workspace, and not their campaign.
    await assert.rejects(
      stranger.transferPool(ws, mine.campaign.id).list(),
      failsWith('FORBIDDEN_WORKSPACE', 403),
    );
    await assert.rejects(
      stranger.transferPool(otherWs, mine.campaign.id).list(),
      failsWith('NOT_FOUND', 404),
    );
    await assert.rejects(
      stranger.transferPool(otherWs, mine.campaign.id).create({ name: 'x', number: '0299990000' }),
      failsWith('NOT_FOUND', 404),
    );
    await assert.rejects(stranger.campaignTransferPool(mine.campaign.id), failsWith('NOT_FOUND', 404));
    // A destination is only reachable under its own campaign.
    await assert.rejects(theirPool.get(sales.id), failsWith('NOT_FOUND', 404));
    await assert.rejects(theirPool.remove(sales.id), failsWith('NOT_FOUND', 404));

    await pool.remove(sales.id);
    await assert.rejects(pool.get(sales.id), failsWith('NOT_FOUND', 404));
    assert.deepEqual(
      (await pool.list()).map((d) => d.name),
      ['Team leader'],
    );
  });

  test('announcements: upload converts to 8 kHz mono, refuses bad files storing nothing, streams, renames, deletes', async () => {
    const mine = await buildTeam(server, admin, { agents: 1 });
    const theirs = await buildTeam(server, admin, { agents: 1 });
    const agent = mine.agents[0]?.client;
    const otherAgent = theirs.agents[0]?.client;
    assert.ok(agent && otherAgent);
    const announcements = admin.announcements(ws, mine.campaign.id);
    const folder = path.join(server.store.dataDir, 'announcements', ws);
    const stored = () => (existsSync(folder) ? readdirSync(folder).sort() : []);
    const incoming = path.join(server.store.dataDir, 'announcements', '.incoming');
    const leftovers = () => (existsSync(incoming) ? readdirSync(incoming) : []);

    // 44.1 kHz stereo, 1.5 s: stored as 8 kHz mono 16-bit PCM of the same length.
    const cd = soxWav(scratch, 44100, 2, 1.5);
    const welcome = await announcements.upload('Welcome message', cd);
    assert.equal(welcome.name, 'Welcome message');
    assert.ok(Math.abs(welcome.durationMs - 1500) <= 5, `duration ${welcome.durationMs}`);
    assert.deepEqual(stored(), [`${welcome.id}.wav`]);
    const file = readFileSync(path.join(folder, `${welcome.id}.wav`));
    assert.equal(file.length, welcome.sizeBytes);
    assert.equal(file.toString('latin1', 0, 4), 'RIFF');
    assert.deepEqual(
      {
        format: file.readUInt16LE(20),
        channels: file.readUInt16LE(22),
        rate: file.readUInt32LE(24),
        bits: file.readUInt16LE(34),
      },
      { format: 1, channels: 1, rate: 8000, bits: 16 },
    );
    assert.equal(file.readUInt32LE(40), file.length - 44, 'one data chunk of the samples');
    assert.ok(Math.abs((file.length - 44) / 2 - 12000) <= 40, `samples ${(file.length - 44) / 2}`);
    assert.ok(
      file.subarray(44).some((b) => b !== 0),
      'the tone survived the conversion',
    );

    // Already in the media worker's format: kept as is.
    const phone = soxWav(scratch, 8000, 1, 0.5);
    const short = await announcements.upload('Short beep', phone);
    assert.equal(short.durationMs, 500);
    assert.deepEqual(
      readFileSync(path.join(folder, `${short.id}.wav`)).subarray(44),
      phone.subarray(phone.length - 8000),
    );

    // Refused, each with its code, and nothing stored.
    const before = stored();
    const refuse = async (body: Buffer, code: string, status: number, name = 'Refused') =>
      assert.rejects(announcements.upload(name, body), failsWith(code, status));
    await refuse(Buffer.from('ID3 this is an mp3, honest'), 'AUDIO_INVALID', 400);
    await refuse(Buffer.alloc(0), 'AUDIO_INVALID', 400);
    await refuse(cd.subarray(0, cd.length - 1000), 'AUDIO_INVALID', 400);
    await refuse(cd.subarray(0, 30), 'AUDIO_INVALID', 400);
    await refuse(handMadeWav({ rate: 8000, channels: 1, bits: 16, dataBytes: 0 }), 'AUDIO_EMPTY', 400);
    await refuse(
      handMadeWav({ rate: 1000, channels: 1, bits: 8, dataBytes: 601_000 }),
      'AUDIO_TOO_LONG',
      400,
    );
    const oversized = Buffer.concat([cd, Buffer.alloc(10 * 1024 * 1024)]);
    await refuse(oversized, 'BODY_TOO_LARGE', 400);
    await refuse(cd, 'CONFLICT', 409, 'Welcome message');
    // Not announced as a WAV.
    const res = await fetch(
      `${server.url}/api/workspaces/${ws}/campaigns/${mine.campaign.id}/announcements?name=Typed`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          cookie: admin.sessionCookie ?? '',
          [CSRF_HEADER]: admin.csrf ?? '',
        },
        body: cd,
      },
    );
    assert.equal(res.status, 415);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.deepEqual(stored(), before, 'no refused upload left a file');
    assert.deepEqual(leftovers(), [], 'no temporary file left');
    assert.deepEqual(
      (await announcements.list()).map((a) => a.name),
      ['Short beep', 'Welcome message'],
    );

    // Streamed with its type and name, the stored bytes exactly.
    const audio = await admin.requestRaw('GET', welcome.audioUrl);
    assert.equal(audio.headers.get('content-type'), 'audio/wav');
    assert.match(audio.headers.get('content-disposition') ?? '', /^inline; filename="Welcome message\.wav"/);
    assert.deepEqual(Buffer.from(await audio.arrayBuffer()), file);
    assert.deepEqual(Buffer.from(await manager.announcementAudio(welcome)), file);
    // The campaign's agents list and hear them; others do not.
    assert.deepEqual(
      (await agent.campaignAnnouncements(mine.campaign.id)).map((a) => a.id),
      [short.id, welcome.id],
    );
    assert.deepEqual(Buffer.from(await agent.announcementAudio(welcome)), file);
    await assert.rejects(otherAgent.campaignAnnouncements(mine.campaign.id), failsWith('NOT_FOUND', 404));
    await assert.rejects(otherAgent.announcementAudio(welcome), failsWith('NOT_FOUND', 404));
    await assert.rejects(stranger.announcementAudio(welcome), failsWith('NOT_FOUND', 404));
    await assert.rejects(
      agent.announcements(ws, mine.campaign.id).upload('Mine', cd),
      failsWith('FORBIDDEN_ROLE', 403),
    );
    await assert.rejects(
      manager.announcements(ws, mine.campaign.id).remove(welcome.id),
      failsWith('FORBIDDEN_ROLE', 403),
    );
    await assert.rejects(
      stranger.announcements(ws, mine.campaign.id).list(),
      failsWith('FORBIDDEN_WORKSPACE', 403),
    );
    await assert.rejects(
      stranger.announcements(ws, mine.campaign.id).upload('Theirs', cd),
      failsWith('FORBIDDEN_WORKSPACE', 403),
    );
    await assert.rejects(
      stranger.announcements(otherWs, mine.campaign.id).upload('Theirs', cd),
      failsWith('NOT_FOUND', 404),
    );
    await assert.rejects(
      admin.announcements(ws, theirs.campaign.id).get(welcome.id),
      failsWith('NOT_FOUND', 404),
    );

    // Renamed; a name taken is refused.
    const renamed = await announcements.update(short.id, { name: 'Hold on please' });
    assert.equal(renamed.name, 'Hold on please');
    await assert.rejects(
      announcements.update(short.id, { name: 'Welcome message' }),
      failsWith('CONFLICT', 409),
    );
    assert.match(
      (await admin.requestRaw('GET', renamed.audioUrl)).headers.get('content-disposition') ?? '',
      /Hold on please\.wav/,
    );

    // Deleting removes the row and the file.
    await announcements.remove(welcome.id);
    assert.deepEqual(stored(), [`${short.id}.wav`]);
    await assert.rejects(admin.announcementAudio(welcome), failsWith('NOT_FOUND', 404));
    await assert.rejects(announcements.remove(welcome.id), failsWith('NOT_FOUND', 404));
    assert.deepEqual(
      (await agent.campaignAnnouncements(mine.campaign.id)).map((a) => a.name),
      ['Hold on please'],
    );
  });
});
