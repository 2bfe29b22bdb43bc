import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError, type HttpClient } from '@parley/client';
import type { AgentEmailView, EmailMailbox } from '@parley/contract';
import { rejection, startTestServer, type TestServer } from './helpers.js';
import { CENTRE_DOMAIN, CUSTOMER_DOMAIN, type MailServers, startMailServers } from './mail-servers.js';
import { buildTeam, openToolbar } from './toolbar.js';

const SUPPORT = `support@${CENTRE_DOMAIN}`;
const CUSTOMER = `customer@${CUSTOMER_DOMAIN}`;
const OTHER = `other@${CUSTOMER_DOMAIN}`;

/** Waits for a state of the platform, polling (the mail arrives over IMAP in its own time). */
async function eventually<T>(what: string, get: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await get();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function rawEmail(o: {
  from: string;
  to: string;
  subject: string;
  messageId: string;
  body: string;
  html?: string;
  headers?: string[];
}): string {
  const head = [
    `From: Casey Customer <${o.from}>`,
    `To: ${o.to}`,
    `Subject: ${o.subject}`,
    `Message-ID: ${o.messageId}`,
    'Date: Mon, 07 Dec 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    ...(o.headers ?? []),
  ];
  if (!o.html) return [...head, 'Content-Type: text/plain; charset=utf-8', '', o.body, ''].join('\r\n');
  return [
    ...head,
    'Content-Type: multipart/alternative; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body,
    '--b1',
    'Content-Type: text/html; charset=utf-8',
    '',
    o.html,
    '--b1--',
    '',
  ].join('\r\n');
}

describe('email: a real mailbox in, threaded replies out, Send Email, Email History (M1-M3)', () => {
  let mail: MailServers;
  let server: TestServer;
  let admin: HttpClient;
  let agent: HttpClient;
  let colleague: HttpClient;
  let mailbox: EmailMailbox;
  let toolbar: ReturnType<typeof openToolbar>;
  let wrapCodeId: string;
  let wrapCodeName: string;
  let campaignId: string;
  let n = 0;
  const customerSays = async (subject: string, extra: Partial<Parameters<typeof rawEmail>[0]> = {}) => {
    const messageId = `<c${++n}.${Date.now()}@${CUSTOMER_DOMAIN}>`;
    await mail.deliver(
      rawEmail({ from: CUSTOMER, to: SUPPORT, subject, messageId, body: 'Hello', ...extra }),
      {
        from: CUSTOMER,
        to: [SUPPORT],
      },
    );
    return messageId;
  };
  /** The Email Queue icon, pressed until an email has come in: the email interaction it opened. */
  const nextEmail = async (client = agent): Promise<AgentEmailView> => {
    const state = await eventually('an email in the queue', async () =>
      client.nextEmail().catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'EMAIL_QUEUE_EMPTY') return undefined;
        throw err;
      }),
    );
    const open = state.interactions.find((i) => i.kind === 'email' && i.state === 'busy');
    assert.ok(open, 'the email is open on the toolbar');
    return client.email(open.id);
  };

  before(async () => {
    mail = await startMailServers({ users: [SUPPORT, CUSTOMER, OTHER] });
    server = await startTestServer();
    admin = await server.signIn('admin');
    const built = await buildTeam(server, admin, { kind: 'email', agents: 2 });
    campaignId = built.campaign.id;
    wrapCodeId = built.wrapCode.id;
    wrapCodeName = built.wrapCode.name;
    const [a, b] = built.agents;
    assert.ok(a && b);
    agent = a.client;
    colleague = b.client;
    const profile = await admin
      .agentProfiles(server.workspaceId)
      .create({ name: 'Emailers', sendEmail: true });
    await admin.users(server.workspaceId).update(a.user.id, { agentProfileId: profile.id });
    // The agent's toolbar is open and paused: emails come only when the Email Queue icon asks.
    toolbar = openToolbar(server, agent);
    const snapshot = await eventually('the toolbar', async () => toolbar.rt.state);
    const reason = snapshot.pauseReasons[0];
    assert.ok(reason);
    await agent.setStatus({ kind: 'paused', reasonId: reason.id });
    const login = mail.user(SUPPORT);
    mailbox = await admin.emailMailboxes(server.workspaceId).create({
      name: 'Support',
      campaignId,
      address: SUPPORT,
      displayName: 'ACME Support',
      inbound: 'imap',
      imap: {
        host: mail.imap.host,
        port: mail.imap.port,
        security: 'none',
        verifyCertificate: true,
        user: login.user,
        password: login.password,
      },
      smtp: {
        host: mail.submission.host,
        port: mail.submission.port,
        security: 'none',
        verifyCertificate: true,
        user: login.user,
        password: login.password,
      },
    });
  });
  after(async () => {
    toolbar?.rt.stop();
    await server?.close();
    await mail?.stop();
  });

  test('a mailbox never gives its passwords back, and its health turns ok once IMAP is read', async () => {
    const read = await admin.emailMailboxes(server.workspaceId).get(mailbox.id);
    assert.equal(read.imap?.hasPassword, true);
    assert.equal(read.smtp?.hasPassword, true);
    assert.ok(!JSON.stringify(read).includes(mail.user(SUPPORT).password), 'no password in the answer');
    const ok = await eventually('the mailbox connected', async () => {
      const m = await admin.emailMailboxes(server.workspaceId).get(mailbox.id);
      return m.health.state === 'ok' ? m : undefined;
    });
    assert.equal(ok.health.error, null);
  });

  test("a customer's email queues; the agent replies and wraps; the reply reaches the customer threaded", async () => {
    const asked = await customerSays('Where is my order?', { body: 'Order 1234 has not come.' });
    const view = await nextEmail();
    assert.equal(view.message?.subject, 'Where is my order?');
    assert.equal(view.message?.from?.address, CUSTOMER);
    assert.match(view.message?.text ?? '', /Order 1234 has not come/);
    assert.deepEqual(view.draft.to, [CUSTOMER]);
    assert.equal(view.draft.subject, 'Re: Where is my order?');
    // The message left the inbox for the processed folder only once it was stored.
    await eventually('the message moved', async () =>
      (await mail.messages(SUPPORT, 'Processed')).length >= 1 ? true : undefined,
    );
    assert.equal((await mail.messages(SUPPORT)).length, 0, 'nothing left in the inbox');
    // A colleague cannot read another agent's email.
    assert.equal((await rejection(colleague.email(view.interactionId))).status, 404);

    await agent.saveEmailDraft(view.interactionId, { html: '<p>It ships <b>today</b>.</p>' });
    const after = await agent.sendEmail(view.interactionId, { wrapCodeId });
    assert.ok(!after.interactions.some((i) => i.id === view.interactionId), 'wrapped off the toolbar');

    const reply = await mail.waitForMessage(CUSTOMER, (m) => m.inReplyTo === asked, 20_000);
    assert.match(reply.subject, /^Re: Where is my order\? \[#[A-Z2-9]{8}\]$/);
    assert.ok(reply.references.includes(asked), 'References carry the message answered');
    assert.equal(reply.from, SUPPORT);
    assert.match(reply.source.toString(), /It ships/);

    // The interaction record tells the story, in order.
    const record = await eventually('the reply in the record', async () => {
      const r = await admin.interaction(server.workspaceId, view.interactionId);
      return r.timeline.some((e) => e.kind === 'email.sent') ? r : undefined;
    });
    const steps = record.timeline
      .map((e) => e.kind)
      .filter((t) => t.startsWith('email.') || t === 'interaction.wrapped');
    assert.deepEqual(steps, ['email.received', 'interaction.wrapped', 'email.sent']);

    const history = await agent.emailThread(view.threadId);
    assert.deepEqual(
      history.messages.map((m) => [m.direction, m.status, m.outcome]),
      [
        ['in', 'received', wrapCodeName],
        ['out', 'sent', wrapCodeName],
      ],
      'the thread in Email History, each message with the Outcome',
    );
  });

  test("the customer's answer joins the thread by its headers, and by the subject's token when they are gone", async () => {
    await customerSays('Invoice please');
    const first = await nextEmail();
    await agent.sendEmail(first.interactionId, { draft: { html: '<p>Attached soon</p>' }, wrapCodeId });
    const reply = await mail.waitForMessage(
      CUSTOMER,
      (m) => m.subject.startsWith('Re: Invoice please'),
      20_000,
    );
    assert.ok(reply.messageId);

    // A new subject without the token: only the threading headers join it.
    await customerSays('Thanks, one more thing', {
      headers: [`In-Reply-To: ${reply.messageId}`, `References: ${reply.messageId}`],
    });
    const second = await nextEmail();
    assert.equal(second.threadId, first.threadId, 'joined by In-Reply-To');
    assert.deepEqual(
      second.thread.map((m) => m.direction),
      ['out', 'in'],
      'the earlier thread, newest first',
    );
    await agent.discardEmail(second.interactionId, { wrapCodeId });

    // A client that keeps only the subject.
    await customerSays(`AW: ${reply.subject}`);
    const third = await nextEmail();
    assert.equal(third.threadId, first.threadId, 'joined by the token in the subject');
    await agent.discardEmail(third.interactionId, { wrapCodeId });
  });

  test('the same message delivered twice is stored and queued once', async () => {
    const messageId = `<twice.${Date.now()}@${CUSTOMER_DOMAIN}>`;
    const raw = rawEmail({ from: CUSTOMER, to: SUPPORT, subject: 'Twice', messageId, body: 'x' });
    await mail.deliver(raw, { from: CUSTOMER, to: [SUPPORT] });
    await mail.deliver(raw, { from: CUSTOMER, to: [SUPPORT] });
    const view = await nextEmail();
    assert.equal(view.message?.subject, 'Twice');
    await eventually('both copies processed', async () =>
      (await mail.messages(SUPPORT)).length === 0 ? true : undefined,
    );
    await agent.discardEmail(view.interactionId, { wrapCodeId });
    const again = await rejection(agent.nextEmail());
    assert.equal(again.code, 'EMAIL_QUEUE_EMPTY');
  });

  test("a file a customer sent downloads as an attachment, for the agent's team and no one else", async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const messageId = `<file.${Date.now()}@${CUSTOMER_DOMAIN}>`;
    await mail.deliver(
      [
        `From: Casey Customer <${CUSTOMER}>`,
        `To: ${SUPPORT}`,
        'Subject: My receipt',
        `Message-ID: ${messageId}`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="m1"',
        '',
        '--m1',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Receipt attached.',
        '--m1',
        'Content-Type: application/pdf; name="receipt.pdf"',
        'Content-Disposition: attachment; filename="receipt.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        pdf.toString('base64'),
        '--m1--',
        '',
      ].join('\r\n'),
      { from: CUSTOMER, to: [SUPPORT] },
    );
    const view = await nextEmail();
    const file = view.message?.attachments.find((a) => a.name === 'receipt.pdf');
    assert.ok(file, 'the file is listed');
    assert.equal(file.size, pdf.length);
    const path = agent.emailAttachmentPath(view.interactionId, file.id);
    for (const who of [agent, colleague]) {
      const res = await who.requestRaw('GET', path);
      assert.match(
        res.headers.get('content-disposition') ?? '',
        /^attachment; filename\*=UTF-8''receipt\.pdf$/,
      );
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; sandbox");
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), pdf);
    }
    const outsider = await buildTeam(server, admin, { kind: 'email', agents: 1 });
    const stranger = outsider.agents[0]?.client;
    assert.ok(stranger);
    assert.equal((await rejection(stranger.requestRaw('GET', path))).status, 404);
    await agent.discardEmail(view.interactionId, { wrapCodeId });
  });

  test('hostile HTML is stored inert: no script, no handlers, remote images held back', async () => {
    await customerSays('Look', {
      html: '<p onclick="steal()">Hi<script>alert(1)</script></p><img src="https://tracker.example/p.gif" onerror="x()"><a href="javascript:alert(2)">link</a>',
    });
    const view = await nextEmail();
    const html = view.message?.html ?? '';
    assert.match(html, /Hi/);
    assert.doesNotMatch(html, /<script|onclick|onerror|javascript:/i);
    assert.doesNotMatch(html, /\ssrc="https:\/\/tracker/, 'the tracker is not loaded');
    assert.match(html, /data-remote-src="https:\/\/tracker/, 'but the agent may load it');
    assert.equal(view.message?.remoteImages, 1);
    // The toolbar frames the body from its own page, under that page's own policy.
    const id = view.message?.id ?? '';
    const held = await agent.requestRaw('GET', `/api/email-messages/${id}/body`);
    const policy = held.headers.get('content-security-policy') ?? '';
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /img-src data:;/, 'no remote image until the agent asks');
    assert.match(policy, /frame-ancestors 'self'/);
    assert.match(policy, /(^|; )sandbox allow-popups allow-popups-to-escape-sandbox($|;)/);
    assert.doesNotMatch(policy, /allow-scripts|allow-same-origin/);
    assert.equal(held.headers.get('x-frame-options'), null, 'the toolbar may frame it');
    const page = await held.text();
    assert.match(page, /Hi/);
    assert.doesNotMatch(page, /<script|onclick|\ssrc="https:\/\/tracker/i);
    const shown = await agent.requestRaw('GET', `/api/email-messages/${id}/body?images=remote`);
    assert.match(shown.headers.get('content-security-policy') ?? '', /img-src data: https: http:/);
    assert.match(await shown.text(), /src="https:\/\/tracker\.example\/p\.gif"/);
    // The rest of the platform keeps its own policy.
    const api = await agent.requestRaw('GET', `/api/interactions/${view.interactionId}/email`);
    assert.match(api.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const outsider = (await buildTeam(server, admin, { kind: 'email', agents: 1 })).agents[0]?.client;
    assert.ok(outsider);
    assert.equal((await rejection(outsider.requestRaw('GET', `/api/email-messages/${id}/body`))).status, 404);
    await agent.discardEmail(view.interactionId, { wrapCodeId });
  });

  test('Send Email from a template, a refusal shown on the interaction, Discard and Wrap Email', async () => {
    const template = await admin.emailTemplates(server.workspaceId, campaignId).create({
      name: 'Welcome',
      subject: 'Welcome to {campaign.name}',
      html: '<p>Hello, this is {agent.name}.</p><script>x()</script>',
    });
    assert.doesNotMatch(template.html, /script/, 'templates are stored sanitised');
    const options = await agent.sendEmailOptions();
    assert.equal(options.enabled, true);
    assert.deepEqual(
      options.campaigns.find((c) => c.id === campaignId)?.templates.map((t) => t.name),
      ['Welcome'],
    );
    assert.equal((await colleague.sendEmailOptions()).enabled, false, 'not enabled for every agent');
    assert.equal(
      (await rejection(colleague.newEmail({ campaignId, templateId: null }))).code,
      'EMAIL_SEND_DISABLED',
    );

    const { interactionId } = await agent.newEmail({ campaignId, templateId: template.id });
    const view = await agent.email(interactionId);
    assert.equal(view.message, null);
    assert.equal(view.draft.mode, 'new');
    assert.match(view.draft.subject, /^Welcome to Campaign \d+$/);
    assert.match(view.draft.html, /this is Agent \d+\.1/);
    assert.equal((await rejection(agent.sendEmail(interactionId))).code, 'EMAIL_NO_RECIPIENT');
    await agent.sendEmail(interactionId, { draft: { to: [OTHER] }, wrapCodeId });
    const sent = await mail.waitForMessage(OTHER, (m) => m.subject.startsWith('Welcome to'), 20_000);
    assert.match(sent.source.toString(), /this is Agent/);

    // A recipient the server refuses: the failure is on the interaction and on the toolbar.
    {
      const failed = new Promise<string>((resolve) =>
        toolbar.rt.subscribe({
          state: (_s, cause) => {
            if (cause !== 'snapshot' && cause.name === 'email.failed') resolve(cause.data.error);
          },
        }),
      );
      const second = await agent.newEmail({ campaignId, templateId: null });
      await agent.sendEmail(second.interactionId, {
        draft: { to: [`nobody@${CUSTOMER_DOMAIN}`], subject: 'Lost', html: '<p>?</p>' },
        wrapCodeId,
      });
      assert.match(await failed, /550|unknown|rejected/i);
      const thread = await agent.email(second.interactionId);
      const out = thread.thread.find((m) => m.direction === 'out');
      assert.equal(out?.status, 'failed');
    }

    const third = await agent.newEmail({ campaignId, templateId: null });
    const state = await agent.discardEmail(third.interactionId, { wrapCodeId });
    assert.ok(!state.interactions.some((i) => i.id === third.interactionId));

    const found = await agent.emailHistory({ contact: 'other@' });
    assert.ok(
      found.threads.some((t) => t.subject.startsWith('Welcome to') && t.outcome !== null),
      'Email History finds the new email with its Outcome',
    );
  });

  test('the ACD offers an email to an Available agent by its blending rules; accepted, it opens like a taken one', async () => {
    const theirs = openToolbar(server, colleague);
    try {
      await eventually('the toolbar', async () => theirs.rt.state);
      await colleague.setStatus({ kind: 'available' });
      await customerSays('Offered to whoever is free');
      const offer = await eventually('the offer', async () =>
        theirs.rt.state?.agent.interactions.find((i) => i.kind === 'email' && i.state === 'offered'),
      );
      const state = await colleague.acceptInteraction(offer.id);
      assert.equal(state.interactions.find((i) => i.id === offer.id)?.state, 'busy');
      const view = await colleague.email(offer.id);
      assert.equal(view.message?.subject, 'Offered to whoever is free');
      await colleague.discardEmail(offer.id, { wrapCodeId });
    } finally {
      theirs.rt.stop();
    }
  });
});
