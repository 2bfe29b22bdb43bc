import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseEmail } from './mime.js';
import { sanitizeEmailHtml } from './sanitize.js';

const MB = 1024 * 1024;
const limits = { maxAttachmentBytes: 25 * MB };

/** A raw message from its lines, CRLF-terminated; \xNN escapes stand for 8-bit bytes. */
function eml(...lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('parseEmail: ordinary mail', () => {
  test('multipart/alternative: the text, safe HTML, the people and the thread identifiers', async () => {
    const mail = await parseEmail(
      eml(
        'From: "Jane Doe" <jane.doe@example.net>',
        'Reply-To: Jane at home <jane@home.example>',
        'To: Parley Support <support@parley.test>, sales@parley.test',
        'Cc: undisclosed-recipients:;, Boss <boss@example.net>',
        'Subject: Re: Order 1234 has not arrived',
        'Date: Mon, 7 Dec 2026 10:30:00 +0100',
        'Message-ID: <CAJ8x-reply-2@mail.example.net>',
        'In-Reply-To: <case-8812.reply-1@parley.test>',
        'References: <case-8812@parley.test>',
        ' <case-8812.reply-1@parley.test> <case-8812@parley.test>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/alternative; boundary="alt"',
        '',
        '--alt',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hello,',
        '',
        'the parcel is still not here.',
        '',
        '--alt',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>Hello,</p><p>the parcel is <b>still</b> not here.</p><script>alert(1)</script>',
        '--alt--',
        '',
      ),
      limits,
    );
    assert.equal(mail.subject, 'Re: Order 1234 has not arrived');
    assert.deepEqual(mail.from, { name: 'Jane Doe', address: 'jane.doe@example.net' });
    assert.deepEqual(mail.replyTo, [{ name: 'Jane at home', address: 'jane@home.example' }]);
    assert.deepEqual(
      mail.to.map((a) => a.address),
      ['support@parley.test', 'sales@parley.test'],
    );
    assert.deepEqual(mail.cc, [{ name: 'Boss', address: 'boss@example.net' }]);
    assert.equal(mail.messageId, 'CAJ8x-reply-2@mail.example.net');
    assert.equal(mail.inReplyTo, 'case-8812.reply-1@parley.test');
    assert.deepEqual(mail.references, ['case-8812@parley.test', 'case-8812.reply-1@parley.test']);
    assert.equal(mail.date?.toISOString(), '2026-12-07T09:30:00.000Z');
    assert.equal(mail.text.trim(), 'Hello,\n\nthe parcel is still not here.');
    assert.ok(mail.html?.includes('<b>still</b>'));
    assert.ok(!mail.html?.includes('script'), 'the script is gone from the HTML');
    assert.equal(mail.autoReply, false);
    assert.equal(mail.bounce, null);
    assert.deepEqual(mail.problems, []);
  });

  test('an HTML-only mail gets its text from the HTML: paragraphs and links kept', async () => {
    const mail = await parseEmail(
      eml(
        'From: shop@example.com',
        'Subject: Your receipt',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<div>Thank you for your order.<br>It ships <i>tomorrow</i>.</div>',
        '<p>Track it <a href="https://track.example.com/1234">here</a>.</p>',
      ),
      limits,
    );
    assert.equal(
      mail.text,
      'Thank you for your order.\nIt ships tomorrow.\n\nTrack it here (https://track.example.com/1234).',
    );
  });

  test('missing headers are empty, not errors: no Message-ID, no Subject, no Date, and a note for the From', async () => {
    const mail = await parseEmail(eml('To: support@parley.test', '', 'Just a body'), limits);
    assert.equal(mail.messageId, null);
    assert.equal(mail.subject, '');
    assert.equal(mail.date, null);
    assert.equal(mail.from, null);
    assert.equal(mail.text, 'Just a body');
    assert.deepEqual(mail.problems, ['The message has no From address']);
  });

  test('a Date that cannot be read is null, with a note, and never "now"', async () => {
    const mail = await parseEmail(eml('From: a@example.com', 'Date: yesterday-ish', '', 'x'), limits);
    assert.equal(mail.date, null);
    assert.match(mail.problems.join('\n'), /Date header could not be read/);
  });
});

describe('parseEmail: attachments', () => {
  const related = (pngType = 'image/png') =>
    eml(
      'From: Jane <jane@example.net>',
      'Subject: Photo of the damage',
      'Content-Type: multipart/mixed; boundary="mixed"',
      '',
      '--mixed',
      'Content-Type: multipart/related; boundary="rel"',
      '',
      '--rel',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>See the box:</p><img src="cid:box-photo@example.net" alt="box"><img src="cid:not-attached@example.net">',
      '--rel',
      `Content-Type: ${pngType}; name="box.png"`,
      'Content-Transfer-Encoding: base64',
      'Content-ID: <box-photo@example.net>',
      'Content-Disposition: inline; filename="box.png"',
      '',
      PNG_BASE64,
      '--rel--',
      '',
      '--mixed',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      "Content-Disposition: attachment; filename*=UTF-8''%C3%9Cberweisung%20M%C3%A4rz.pdf",
      '',
      'JVBERi0xLjQKJcfsj6IK',
      '--mixed',
      'Content-Type: image/png; name="invoice.png"',
      'Content-Disposition: attachment; filename="../../etc/invoice.png"',
      '',
      '<html><script>alert(1)</script></html>',
      '--mixed--',
      '',
    );

  test('files keep their names and bytes; the inline picture is shown in place of its cid: link', async () => {
    const mail = await parseEmail(related(), limits);
    const [photo, pdf, fake] = mail.attachments;
    assert.equal(mail.attachments.length, 3);
    assert.deepEqual(
      { name: photo?.name, type: photo?.contentType, cid: photo?.contentId, inline: photo?.inline },
      { name: 'box.png', type: 'image/png', cid: 'box-photo@example.net', inline: true },
    );
    assert.deepEqual(photo?.content, Buffer.from(PNG_BASE64, 'base64'));
    assert.equal(photo?.size, Buffer.from(PNG_BASE64, 'base64').length);
    assert.deepEqual(
      { name: pdf?.name, type: pdf?.contentType, inline: pdf?.inline },
      { name: 'Überweisung März.pdf', type: 'application/pdf', inline: false },
    );
    assert.equal(pdf?.content.subarray(0, 5).toString(), '%PDF-');
    // A "PNG" that is really HTML is not shown inline nor called a picture; its name loses the path.
    assert.deepEqual(
      { name: fake?.name, type: fake?.contentType, inline: fake?.inline },
      { name: 'invoice.png', type: 'application/octet-stream', inline: false },
    );

    // Stored with cid: links for the platform to resolve; an image with no part behind it is dropped.
    assert.ok(mail.html?.includes('src="cid:box-photo@example.net"'));
    assert.ok(!mail.html?.includes('not-attached'));
    const shown = sanitizeEmailHtml(mail.html ?? '', { cidUrl: (id) => `/api/email/inline/${id}` });
    assert.match(shown.html, /<img alt="box" src="\/api\/email\/inline\/box-photo@example\.net" \/>/);
    assert.equal(mail.remoteImages, 0);
  });

  test('an attachment over the limit is listed, not kept, and the agent is told', async () => {
    const mail = await parseEmail(related(), { maxAttachmentBytes: 10 });
    const pdf = mail.attachments.find((a) => a.name.endsWith('.pdf'));
    assert.equal(pdf?.tooLarge, true);
    assert.equal(pdf?.content.length, 0);
    assert.equal(pdf?.size, 15);
    assert.ok(
      mail.problems.some((p) => /not kept \(over the 10 bytes limit\): Überweisung März\.pdf/.test(p)),
    );
    // The picture is too large as well, so it is not shown in the body.
    assert.ok(!mail.html?.includes('<img'));
  });

  test('a declared image/gif that is really a PNG is named by its bytes', async () => {
    const mail = await parseEmail(related('image/gif'), limits);
    assert.equal(mail.attachments[0]?.contentType, 'image/png');
  });
});

describe('parseEmail: character sets', () => {
  test('encoded-word subjects and names in several charsets come out as Unicode', async () => {
    const mail = await parseEmail(
      eml(
        'From: =?KOI8-R?B?6dfBziDwxdTSz9c=?= <ivan@example.ru>',
        'To: =?ISO-2022-JP?B?GyRCJDRDbUo4JEskRCQkJEYbKEI=?= <jp@example.jp>',
        'Subject: =?ISO-8859-1?Q?Caf=E9_cr=E8me?= =?UTF-8?B?IOKCrDEw?= and =?utf-8?q?more?=',
        '',
        'x',
      ),
      limits,
    );
    assert.equal(mail.subject, 'Café crème €10 and more');
    assert.deepEqual(mail.from, { name: 'Иван Петров', address: 'ivan@example.ru' });
    assert.equal(mail.to[0]?.name, 'ご注文について');
  });

  const body = (charset: string, encoding: string, content: string) =>
    eml(
      'From: a@example.com',
      `Content-Type: text/plain; charset=${charset}`,
      `Content-Transfer-Encoding: ${encoding}`,
      '',
      content,
    );

  test('ISO-8859-1 quoted-printable', async () => {
    const mail = await parseEmail(
      body('ISO-8859-1', 'quoted-printable', 'Gr=FC=DFe aus K=F6ln, Stra=DFe 5'),
      limits,
    );
    assert.equal(mail.text, 'Grüße aus Köln, Straße 5');
  });

  test('windows-1252 8bit: curly quotes, dash and euro sign', async () => {
    const mail = await parseEmail(body('windows-1252', '8bit', '\x93Quoted\x94 \x96 10 \x80 only'), limits);
    assert.equal(mail.text, '“Quoted” – 10 € only');
  });

  test('ISO-2022-JP', async () => {
    const mail = await parseEmail(
      body('ISO-2022-JP', '7bit', '\x1b$B$3$s$K$A$O!"CmJ8HV9f$O#1#2#3$G$9!#\x1b(B'),
      limits,
    );
    assert.equal(mail.text, 'こんにちは、注文番号は１２３です。');
  });

  test('KOI8-R 8bit', async () => {
    const koi8 = Buffer.from('fac4d2c1d7d3d4d7d5cad4c52120fac1cbc1da20cec520d0d2c9dba3cc2e', 'hex');
    const mail = await parseEmail(body('KOI8-R', '8bit', koi8.toString('latin1')), limits);
    assert.equal(mail.text, 'Здравствуйте! Заказ не пришёл.');
  });

  test('an unknown charset is read as UTF-8 rather than lost', async () => {
    const mail = await parseEmail(body('x-made-up', '8bit', Buffer.from('Café').toString('latin1')), limits);
    assert.equal(mail.text, 'Café');
  });
});

describe('parseEmail: robots', () => {
  test('a delivery status notification names the bounced Message-ID, the failed recipient and why', async () => {
    const mail = await parseEmail(fixture('bounce-postfix.eml'), limits);
    assert.deepEqual(mail.bounce, {
      originalMessageId: 'case-8812.reply-3@parley.test',
      recipients: ['jane.doe@example.net'],
      status: '5.1.1',
      diagnostic:
        '550 5.1.1 <jane.doe@example.net>: Recipient address rejected: User unknown in virtual mailbox table',
    });
    assert.equal(mail.autoReply, true);
    assert.match(mail.text, /could not\s+be delivered/);
    // The machine-readable report is in `bounce`, not offered as a file; the returned headers are.
    assert.deepEqual(
      mail.attachments.map((a) => a.contentType),
      ['text/rfc822-headers'],
    );
  });

  test('a bounce returning the whole message (message/rfc822) names its Message-ID too', async () => {
    const mail = await parseEmail(
      eml(
        'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        'To: support@parley.test',
        'Subject: Delivery Status Notification (Failure)',
        'Content-Type: multipart/report; boundary="b1"; report-type="delivery-status"',
        '',
        '--b1',
        'Content-Type: text/plain; charset=UTF-8',
        '',
        "Address not found: Your message wasn't delivered to nobody@example.org",
        '--b1',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; googlemail.com',
        '',
        'Final-Recipient: rfc822; nobody@example.org',
        'Action: failed',
        'Status: 5.1.1 (bad destination mailbox address)',
        'Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.',
        '',
        '--b1',
        'Content-Type: message/rfc822',
        '',
        'From: support@parley.test',
        'To: nobody@example.org',
        'Subject: Re: Refund',
        'Message-ID: <case-99.reply-1@parley.test>',
        '',
        'Your refund is on its way.',
        '--b1--',
        '',
      ),
      limits,
    );
    assert.equal(mail.bounce?.originalMessageId, 'case-99.reply-1@parley.test');
    assert.deepEqual(mail.bounce?.recipients, ['nobody@example.org']);
    assert.equal(mail.bounce?.status, '5.1.1');
    assert.equal(
      mail.bounce?.diagnostic,
      '550-5.1.1 The email account that you tried to reach does not exist.',
    );
    assert.ok(
      !mail.text.includes('refund is on its way'),
      "the returned mail is not read as the bounce's text",
    );
  });

  const headed = (...headers: string[]) =>
    parseEmail(eml('From: jane@example.net', ...headers, '', 'Out of office until Monday.'), limits);

  test('auto-replies and bulk mail are marked, so the platform does not answer robots', async () => {
    assert.equal((await headed('Auto-Submitted: auto-replied')).autoReply, true);
    assert.equal((await headed('Auto-Submitted: auto-generated (vacation)')).autoReply, true);
    assert.equal((await headed('Precedence: bulk')).autoReply, true);
    assert.equal((await headed('Precedence: list')).autoReply, true);
    assert.equal((await headed('X-Autoreply: yes')).autoReply, true);
    assert.equal((await headed('Auto-Submitted: no')).autoReply, false);
    assert.equal((await headed('Precedence: first-class')).autoReply, false);
    assert.equal((await headed()).autoReply, false);
  });
});

describe('parseEmail: broken input never throws', () => {
  test('a multipart whose boundary is never closed keeps what arrived', async () => {
    const mail = await parseEmail(
      eml(
        'From: a@example.com',
        'Content-Type: multipart/mixed; boundary="never-closed"',
        '',
        '--never-closed',
        'Content-Type: text/plain',
        '',
        'The first part arrived.',
        '--never-closed',
        'Content-Type: application/pdf; name="cut.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0xLjQK',
      ),
      limits,
    );
    assert.equal(mail.text, 'The first part arrived.');
    assert.deepEqual(
      mail.attachments.map((a) => a.name),
      ['cut.pdf'],
    );
  });

  test('bad base64 gives what can be decoded', async () => {
    const mail = await parseEmail(
      eml('From: a@example.com', 'Content-Transfer-Encoding: base64', '', 'SGVsbG8gd29ybGQ=!!*** not base64'),
      limits,
    );
    assert.match(mail.text, /^Hello world/);
  });

  test('a message with no headers at all is all body', async () => {
    const mail = await parseEmail(Buffer.from('Hi, my order 1234 never came.\nJane\n'), limits);
    assert.equal(mail.text, 'Hi, my order 1234 never came.\nJane');
    assert.deepEqual(mail.problems, ['The message has no headers', 'The message has no From address']);
  });

  test('an mbox "From " line or a byte-order mark before the headers does not hide them', async () => {
    for (const prefix of ['From jane@example.net Mon Dec  7 10:00:00 2026\r\n', '\xef\xbb\xbf']) {
      const mail = await parseEmail(
        eml(`${prefix}From: Jane <jane@example.net>`, 'Subject: Hi', '', 'Body'),
        limits,
      );
      assert.deepEqual([mail.from?.address, mail.subject, mail.text], ['jane@example.net', 'Hi', 'Body']);
      assert.deepEqual(mail.problems, []);
    }
  });

  test('random bytes and an empty message give an empty mail with notes', async () => {
    let seed = 7;
    const junk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < junk.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      junk[i] = seed >> 16;
    }
    for (const raw of [junk, Buffer.alloc(0)]) {
      const mail = await parseEmail(raw, limits);
      assert.equal(mail.from, null);
      assert.ok(mail.problems.length > 0);
      assert.ok(!mail.text.includes('\u0000'), 'no NUL for the database to refuse');
    }
  });

  test('headers mailparser refuses (over 1 MB) fall back to what can be read, with a note', async () => {
    const mail = await parseEmail(
      eml(
        'From: Jane <jane@example.net>',
        `X-Junk: ${'a'.repeat(2 * MB)}`,
        'Subject: Still readable',
        '',
        'Body',
      ),
      limits,
    );
    assert.deepEqual(mail.from, { name: 'Jane', address: 'jane@example.net' });
    assert.equal(mail.subject, 'Still readable');
    assert.equal(mail.text, 'Body');
    assert.match(mail.problems[0] ?? '', /^The message could not be fully read: /);
  });
});

describe('parseEmail: hostile and large mail', () => {
  test('a hostile HTML mail is shown without anything that runs or loads', async () => {
    const mail = await parseEmail(fixture('hostile-html.eml'), limits);
    const html = mail.html ?? '';
    assert.match(html, /Your account is locked\./);
    assert.doesNotMatch(html, /<script|<iframe|<svg|<form|<input|<object|<embed|<meta|<base|<link|<style/i);
    assert.doesNotMatch(html, /javascript:|data:text|onload|onerror|onclick|expression\(|url\(/i);
    assert.equal(mail.remoteImages, 1);
    assert.match(mail.text, /Your account is locked\./);
    assert.match(mail.text, /PayPal Help \(https:\/\/www\.paypal\.com\/help\)/);
    assert.doesNotMatch(mail.text, /document\.cookie|svg text/);
  });

  test('a 25 MB message with a large attachment parses without many copies of it in memory', async () => {
    const attachment = Buffer.alloc(18 * MB);
    for (let i = 0; i < attachment.length; i += 4096) attachment.writeUInt32BE(i, i);
    const raw = Buffer.concat([
      eml(
        'From: Jane <jane@example.net>',
        'Subject: The video',
        'Content-Type: multipart/mixed; boundary="big"',
        '',
        '--big',
        'Content-Type: text/plain',
        '',
        'Here is the recording.',
        '--big',
        'Content-Type: video/mp4; name="recording.mp4"',
        'Content-Transfer-Encoding: base64',
        '',
        '',
      ),
      Buffer.from(attachment.toString('base64').replace(/.{76}/g, '$&\r\n')),
      eml('', '--big--', ''),
    ]);
    assert.ok(raw.length > 24 * MB, `${raw.length} bytes`);

    // The parser yields between chunks, so a timer sees the peak, garbage included.
    const before = process.memoryUsage();
    const peak = { heap: 0, buffers: 0, samples: 0 };
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak.heap = Math.max(peak.heap, now.heapUsed - before.heapUsed);
      peak.buffers = Math.max(peak.buffers, now.arrayBuffers - before.arrayBuffers);
      peak.samples++;
    }, 5);
    const mail = await parseEmail(raw, limits).finally(() => clearInterval(sampler));

    assert.equal(mail.text, 'Here is the recording.');
    assert.equal(mail.attachments[0]?.name, 'recording.mp4');
    assert.equal(mail.attachments[0]?.size, attachment.length);
    assert.ok(mail.attachments[0]?.content.equals(attachment), 'the file is intact');
    // Measured about +45 MB of heap (short-lived strings) and +43 MB of buffers (the decoded
    // pieces and the file joined from them): the 25 MB is not copied over and over.
    assert.ok(peak.samples > 0);
    assert.ok(peak.heap < 120 * MB, `heap peaked ${Math.round(peak.heap / MB)} MB over the start`);
    assert.ok(
      peak.buffers < 4 * 18 * MB,
      `buffers peaked ${Math.round(peak.buffers / MB)} MB over the start`,
    );
  });
});
