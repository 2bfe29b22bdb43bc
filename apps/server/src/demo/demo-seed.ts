import { randomBytes, randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CampaignKind, Role, SurveyField, WorkflowDefinition } from '@parley/contract';
import { hashSecret } from '../auth/password.js';
import type { Db } from '../db/database.js';

interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  agentId?: number;
  teams: string[];
}

const USERS: DemoUser[] = [
  { username: 'admin', displayName: 'Alex Admin', role: 'administrator', teams: [] },
  { username: 'manager', displayName: 'Morgan Manager', role: 'manager', teams: ['Customer Care', 'Sales'] },
  {
    username: 'agent1',
    displayName: 'Ava Agent',
    role: 'agent',
    agentId: 1001,
    teams: ['Customer Care', 'Sales'],
  },
  { username: 'agent2', displayName: 'Ben Agent', role: 'agent', agentId: 1002, teams: ['Customer Care'] },
  { username: 'agent3', displayName: 'Cleo Agent', role: 'agent', agentId: 1003, teams: ['Sales'] },
];

const CAMPAIGNS: { name: string; kind: CampaignKind; team: string; script: string }[] = [
  {
    name: 'Customer Care',
    kind: 'inbound_voice',
    team: 'Customer Care',
    script: 'Thank you for calling ACME, my name is {agent.name}. How can I help you today?',
  },
  {
    name: 'Sales Enquiries',
    kind: 'inbound_voice',
    team: 'Sales',
    script: 'Thank you for calling ACME sales, my name is {agent.name}. What can I help you find today?',
  },
  {
    name: 'Renewals Preview',
    kind: 'outbound_preview',
    team: 'Sales',
    script: 'Hello {lead.firstName}, this is {agent.name} from ACME about your renewal.',
  },
  {
    name: 'Spring Offer',
    kind: 'outbound_predictive',
    team: 'Sales',
    script: 'Hello, this is {agent.name} from ACME with our spring offer.',
  },
  {
    name: 'Web Chat',
    kind: 'chat',
    team: 'Customer Care',
    script: 'Hi {contact.name}, thanks for reaching out! My name is {agent.name}.',
  },
  { name: 'Support Email', kind: 'email', team: 'Customer Care', script: 'Reply within one business day.' },
];

/** The demo's inbound number: the customer web phone can call it with no SIP trunk. */
export const DEMO_NUMBER = { number: '+61290001000', name: 'Customer Care', campaign: 'Customer Care' };

/**
 * The demo's chat widget: its survey, the platform's own pages as the allowed website (the demo
 * page at /chat-demo.html on the default port), and two canned responses.
 */
export const DEMO_CHAT = {
  name: 'ACME website',
  campaign: 'Web Chat',
  survey: [
    { key: 'name', label: 'Your name', type: 'text', required: true },
    { key: 'email', label: 'Email', type: 'email', required: true },
    {
      key: 'topic',
      label: 'Topic',
      type: 'choice',
      required: false,
      options: ['Billing', 'Orders', 'Other'],
    },
  ] satisfies SurveyField[],
  allowedOrigins: ['http://localhost:8080', 'http://127.0.0.1:8080'],
  canned: [
    { snippet: 'ACME', text: 'The ACME Corporation Pty Limited ACN 22 555 903 134' },
    { snippet: 'thanks', text: 'Thank you {contact.name}, is there anything else I can help you with?' },
  ],
};

/** The number agents call to connect their own phone (Call in to connect). */
export const DEMO_DIAL_IN = '+61290009999';

/** The demo number's menu: 1 for sales, 2 for support; no choice goes to support. */
function demoMenu(sales: string, support: string): WorkflowDefinition {
  return {
    start: 'menu',
    nodes: {
      menu: {
        type: 'menu',
        prompt: 'welcome-menu',
        choices: { '1': 'sales', '2': 'support' },
        timeoutSeconds: 5,
        retries: 1,
        invalidPrompt: 'invalid-choice',
        noInputPrompt: 'no-input',
        otherwise: 'noChoice',
      },
      sales: { type: 'setData', value: 'Sales', next: 'salesHold' },
      salesHold: { type: 'play', prompt: 'please-hold', next: 'salesQueue' },
      salesQueue: { type: 'queue', campaignId: sales },
      support: { type: 'setData', value: 'Support', next: 'supportHold' },
      noChoice: { type: 'setData', value: 'No choice', next: 'supportHold' },
      supportHold: { type: 'play', prompt: 'please-hold', next: 'supportQueue' },
      supportQueue: { type: 'queue', campaignId: support },
    },
  };
}

const WRAP_CODES = [
  { name: 'Resolved', completes_lead: true },
  { name: 'Call back later', schedules_callback: true },
  { name: 'Wrong number', completes_phone_number: true },
  { name: 'Not interested', completes_lead: true },
];

export interface DemoCredentials {
  users: { username: string; password: string; role: Role; agentId?: number; pin?: string }[];
}

/** A password people can type: 4 groups of 4 from an unambiguous alphabet (about 80 bits). */
function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/**
 * On an empty database, creates the demo workspace and writes its credentials to
 * DATA_DIR/demo-credentials.txt (readable by the owner only). Returns undefined if data exists.
 */
export async function seedDemoWorkspace(
  db: Db,
  dataDir: string,
  demoPassword: string | undefined,
): Promise<DemoCredentials | undefined> {
  const existing = await db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst();
  if (existing) return undefined;
  const credentials: DemoCredentials = { users: [] };
  const hashed = await Promise.all(
    USERS.map(async (u) => {
      const password = demoPassword ?? randomPassword();
      const pin = u.agentId ? String(randomInt(0, 1_000_000)).padStart(6, '0') : undefined;
      credentials.users.push({
        username: u.username,
        password,
        role: u.role,
        ...(u.agentId && { agentId: u.agentId, pin }),
      });
      return { u, passwordHash: await hashSecret(password), pinHash: pin ? await hashSecret(pin) : null };
    }),
  );
  await db.transaction().execute(async (tx) => {
    const ws = await tx
      .insertInto('workspaces')
      .values({ slug: 'demo', name: 'ACME Demo' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const workspace_id = ws.id;
    const profile = await tx
      .insertInto('agent_profiles')
      .values({ workspace_id, name: 'Standard agent', max_concurrent_chats: 5, send_email: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    const teamIds = new Map<string, string>();
    for (const name of ['Customer Care', 'Sales']) {
      const t = await tx
        .insertInto('teams')
        .values({ workspace_id, name })
        .returning('id')
        .executeTakeFirstOrThrow();
      teamIds.set(name, t.id);
    }
    for (const { u, passwordHash, pinHash } of hashed) {
      const user = await tx
        .insertInto('users')
        .values({
          workspace_id,
          username: u.username,
          display_name: u.displayName,
          role: u.role,
          password_hash: passwordHash,
          agent_id: u.agentId ?? null,
          pin_hash: pinHash,
          agent_profile_id: u.role === 'agent' ? profile.id : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const team of u.teams) {
        await tx
          .insertInto('team_members')
          .values({ team_id: teamIds.get(team) ?? '', user_id: user.id })
          .execute();
      }
    }
    const campaignIds = new Map<string, string>();
    for (const c of CAMPAIGNS) {
      const campaign = await tx
        .insertInto('campaigns')
        .values({ workspace_id, name: c.name, kind: c.kind, script: c.script })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('campaign_teams')
        .values({ campaign_id: campaign.id, team_id: teamIds.get(c.team) ?? '' })
        .execute();
      await tx
        .insertInto('wrap_codes')
        .values(WRAP_CODES.map((w, position) => ({ workspace_id, campaign_id: campaign.id, position, ...w })))
        .execute();
      campaignIds.set(c.name, campaign.id);
    }
    const webChat = campaignIds.get(DEMO_CHAT.campaign) ?? '';
    await tx
      .insertInto('chat_channels')
      .values({
        workspace_id,
        campaign_id: webChat,
        name: DEMO_CHAT.name,
        survey: JSON.stringify(DEMO_CHAT.survey),
        allowed_origins: DEMO_CHAT.allowedOrigins,
        offline_message: 'Our team is away. Write to help@acme.example and we will answer next business day.',
      })
      .execute();
    await tx
      .insertInto('canned_responses')
      .values(DEMO_CHAT.canned.map((c) => ({ workspace_id, campaign_id: webChat, ...c })))
      .execute();
    // Mail forwarded to the platform's SMTP listener (EMAIL_SMTP_PORT) for help@acme.example
    // queues on Support Email; replies need the mailbox's SMTP server set by an administrator.
    const supportEmail = campaignIds.get('Support Email') ?? '';
    await tx
      .insertInto('email_mailboxes')
      .values({
        workspace_id,
        campaign_id: supportEmail,
        name: 'ACME help',
        address: 'help@acme.example',
        display_name: 'ACME Support',
        inbound: 'smtp',
      })
      .execute();
    await tx
      .insertInto('email_templates')
      .values([
        {
          workspace_id,
          campaign_id: supportEmail,
          name: 'Order update',
          subject: 'Your order with ACME',
          html: '<p>Hello {contact.name},</p><p>Your order is on its way.</p><p>Kind regards,<br>{agent.name}<br>{campaign.name}</p>',
        },
        { workspace_id, campaign_id: supportEmail, name: 'Blank', subject: '', html: '' },
      ])
      .execute();
    const support = campaignIds.get(DEMO_NUMBER.campaign) ?? '';
    const menu = await tx
      .insertInto('workflows')
      .values({
        workspace_id,
        name: 'ACME main menu',
        definition: JSON.stringify(demoMenu(campaignIds.get('Sales Enquiries') ?? '', support)),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('inbound_numbers')
      .values({
        workspace_id,
        number: DEMO_NUMBER.number,
        name: DEMO_NUMBER.name,
        campaign_id: support,
        workflow_id: menu.id,
      })
      .execute();
    await tx
      .insertInto('inbound_numbers')
      .values({
        workspace_id,
        number: DEMO_DIAL_IN,
        name: 'Agent dial-in',
        purpose: 'agent_dial_in',
        web_phone: false,
      })
      .execute();
    await tx
      .insertInto('pause_reasons')
      .values(
        ['Break', 'Lunch', 'Training', 'After Call Work'].map((name, position) => ({
          workspace_id,
          name,
          position,
        })),
      )
      .execute();
  });
  writeFileSync(credentialsPath(dataDir), formatCredentials(credentials), { mode: 0o600 });
  return credentials;
}

export function credentialsPath(dataDir: string): string {
  return path.join(dataDir, 'demo-credentials.txt');
}

export function formatCredentials(c: DemoCredentials): string {
  const lines = c.users.map((u) => {
    const dialIn = u.agentId ? `  agent ID ${u.agentId}  PIN ${u.pin}` : '';
    return `  ${u.username.padEnd(8)} ${u.password.padEnd(20)} ${u.role.padEnd(13)}${dialIn}`;
  });
  return `Demo workspace "ACME Demo" sign-in details:\n${lines.join('\n')}\n`;
}
