import { type Static, Type } from '@sinclair/typebox';
import { Name, StrictPartial, Uuid } from './common.js';
import { DialPlanSettings } from './telephony.js';

export const MFA_POLICIES = ['off', 'totp', 'webauthn', 'totp_or_webauthn'] as const;
export const MfaPolicy = Type.Union(MFA_POLICIES.map((p) => Type.Literal(p)));

const settingsFields = {
  name: Name,
  agentRingTimeoutSeconds: Type.Integer({
    minimum: 5,
    maximum: 120,
    description: 'Agent Ring Timeout: seconds an offered contact rings before Auto Pause',
  }),
  mfaPolicy: MfaPolicy,
  recordingControlsVisible: Type.Boolean(),
  agentAssistEnabled: Type.Boolean(),
  /** Convert to Outbound offers: no campaign, the outbound campaigns of the agent's teams, or all. */
  convertToOutbound: Type.Union([Type.Literal('none'), Type.Literal('team'), Type.Literal('all')]),
  /** null: the server's dial plan (DIAL_* settings). */
  dialPlan: Type.Union([DialPlanSettings, Type.Null()]),
};

export const WorkspaceSettings = Type.Object({ id: Uuid, slug: Type.String(), ...settingsFields });
export type WorkspaceSettings = Static<typeof WorkspaceSettings>;

export const UpdateWorkspaceSettingsBody = StrictPartial(settingsFields);
export type UpdateWorkspaceSettingsBody = Static<typeof UpdateWorkspaceSettingsBody>;
