import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export interface WorkspacesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  agent_ring_timeout_seconds: Generated<number>;
  mfa_policy: Generated<string>;
  recording_controls_visible: Generated<boolean>;
  agent_assist_enabled: Generated<boolean>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  workspace_id: string;
  username: string;
  display_name: string;
  role: 'agent' | 'manager' | 'administrator';
  password_hash: string;
  agent_id: number | null;
  pin_hash: string | null;
  agent_profile_id: string | null;
  disabled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface TeamsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
}

export interface AgentProfilesTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  max_concurrent_chats: Generated<number>;
}

export interface CampaignsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  kind: 'inbound_voice' | 'outbound_preview' | 'outbound_predictive' | 'chat' | 'email';
  script: Generated<string>;
  created_at: CreatedAt;
}

export interface CampaignTeamsTable {
  campaign_id: string;
  team_id: string;
}

export interface PauseReasonsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  position: Generated<number>;
}

export interface WrapCodesTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string;
  name: string;
  completes_lead: Generated<boolean>;
  completes_phone_number: Generated<boolean>;
  schedules_callback: Generated<boolean>;
  position: Generated<number>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  workspace_id: string;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Date;
  blocked_until: Date | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  level: 'info' | 'warning' | 'error';
  text: string;
  created_at: Date;
  cleared: Generated<boolean>;
}

export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  agent_profiles: AgentProfilesTable;
  campaigns: CampaignsTable;
  campaign_teams: CampaignTeamsTable;
  pause_reasons: PauseReasonsTable;
  wrap_codes: WrapCodesTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  notifications: NotificationsTable;
}

export type WorkspaceRow = Selectable<WorkspacesTable>;
export type UserRow = Selectable<UsersTable>;
