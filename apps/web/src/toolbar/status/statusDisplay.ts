import type { MantineColor } from '@mantine/core';
import {
  type ActivityName,
  type AgentActivity,
  type AgentState,
  type AgentStatus,
  AUTO_PAUSE,
  agentActivity,
  type PauseReason,
  type StatusChoice,
  statusName,
} from '@parley/contract';

/** The guide's name for a status: "Available", the pause reason, "Auto Pause" or "Unavailable". */
export const statusLabel = statusName;

/** What the status control shows: the working state while there is one, else the status. */
export interface StatusShown {
  label: string;
  since: string;
  color: MantineColor;
  activity: AgentActivity | undefined;
}

const activityColors: Record<ActivityName, MantineColor> = {
  Ringing: 'yellow',
  'On call': 'blue',
  'On hold': 'orange',
  Chatting: 'blue',
  Emailing: 'blue',
  Wrapping: 'indigo',
};

export function statusShown(agent: AgentState): StatusShown {
  const activity = agentActivity(agent.interactions);
  if (activity)
    return { label: activity.label, since: activity.since, color: activityColors[activity.name], activity };
  return { label: statusLabel(agent.status), since: agent.since, color: statusColor(agent.status), activity };
}

export function isAutoPause(status: AgentStatus): boolean {
  return status.kind === 'paused' && status.reasonId === null && status.reasonName === AUTO_PAUSE;
}

/** Green when Available, red on Auto Pause, orange for any other pause. */
export function statusColor(status: AgentStatus): MantineColor {
  if (status.kind === 'available') return 'green';
  if (status.kind === 'signed_out') return 'gray';
  return isAutoPause(status) ? 'red' : 'orange';
}

/** A system pause explains itself ("Ring timeout: offer not accepted"); chosen pauses do not. */
export function systemPauseDetail(status: AgentStatus): string | undefined {
  return status.kind === 'paused' && status.reasonId === null ? status.detail : undefined;
}

export function choiceLabel(choice: StatusChoice, pauseReasons: PauseReason[]): string {
  if (choice.kind === 'available') return 'Available';
  return pauseReasons.find((reason) => reason.id === choice.reasonId)?.name ?? 'Pause';
}

/** Identifies a menu entry: "available" or a pause reason's id. */
export function choiceKey(choice: StatusChoice): string {
  return choice.kind === 'available' ? 'available' : choice.reasonId;
}

/** The entry that stands now: after wrap-up the chosen next status, else the current one if chosen. */
export function selectedChoiceKey(agent: AgentState, wrapping: boolean): string | undefined {
  if (wrapping && agent.nextStatus) return choiceKey(agent.nextStatus);
  const { status } = agent;
  if (status.kind === 'available') return 'available';
  if (status.kind === 'paused' && status.reasonId !== null) return status.reasonId;
  return undefined;
}

export function isWrapping(agent: AgentState): boolean {
  return agent.interactions.some((interaction) => interaction.state === 'wrapping');
}

/**
 * The status button's second line: with a contact, the status that stands once it is done (the
 * one chosen during wrap-up, C3); else why the system paused, if it did.
 */
export function statusSecondaryText(agent: AgentState, pauseReasons: PauseReason[]): string | undefined {
  const activity = agentActivity(agent.interactions);
  if (activity) {
    const next =
      isWrapping(agent) && agent.nextStatus
        ? choiceLabel(agent.nextStatus, pauseReasons)
        : statusLabel(agent.status);
    return activity.name === 'Ringing' ? `Then: ${next}` : `After wrap: ${next}`;
  }
  return systemPauseDetail(agent.status);
}
