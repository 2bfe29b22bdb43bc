import type { ToolbarSettings, UpdateWorkspaceSettingsBody, WorkspaceSettings } from '@parley/contract';
import type { Db } from '../db/database.js';
import type { WorkspaceRow } from '../db/schema.js';
import type { EventBus } from '../events.js';
import { notFound } from '../http/app-error.js';

const toSettings = (r: WorkspaceRow): WorkspaceSettings => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  agentRingTimeoutSeconds: r.agent_ring_timeout_seconds,
  mfaPolicy: r.mfa_policy as WorkspaceSettings['mfaPolicy'],
  recordingControlsVisible: r.recording_controls_visible,
  agentAssistEnabled: r.agent_assist_enabled,
  convertToOutbound: r.convert_to_outbound,
  dialPlan: r.dial_plan ?? null,
});

export function toolbarSettings(s: WorkspaceSettings): ToolbarSettings {
  return {
    name: s.name,
    agentRingTimeoutSeconds: s.agentRingTimeoutSeconds,
    recordingControlsVisible: s.recordingControlsVisible,
    agentAssistEnabled: s.agentAssistEnabled,
  };
}

export class WorkspaceService {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  async get(workspaceId: string): Promise<WorkspaceSettings> {
    const row = await this.db
      .selectFrom('workspaces')
      .selectAll()
      .where('id', '=', workspaceId)
      .executeTakeFirst();
    if (!row) throw notFound('Workspace');
    return toSettings(row);
  }

  async update(workspaceId: string, body: UpdateWorkspaceSettingsBody): Promise<WorkspaceSettings> {
    const row = await this.db
      .updateTable('workspaces')
      .set({
        ...(body.name !== undefined && { name: body.name.trim() }),
        ...(body.agentRingTimeoutSeconds !== undefined && {
          agent_ring_timeout_seconds: body.agentRingTimeoutSeconds,
        }),
        ...(body.mfaPolicy !== undefined && { mfa_policy: body.mfaPolicy }),
        ...(body.recordingControlsVisible !== undefined && {
          recording_controls_visible: body.recordingControlsVisible,
        }),
        ...(body.agentAssistEnabled !== undefined && { agent_assist_enabled: body.agentAssistEnabled }),
        ...(body.convertToOutbound !== undefined && { convert_to_outbound: body.convertToOutbound }),
        ...(body.dialPlan !== undefined && {
          dial_plan: body.dialPlan === null ? null : JSON.stringify(body.dialPlan),
        }),
      })
      .where('id', '=', workspaceId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Workspace');
    this.bus.publish({ type: 'workspace.settingsChanged', workspaceId });
    return toSettings(row);
  }
}
