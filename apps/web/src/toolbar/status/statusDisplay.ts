import type { MantineColor } from '@mantine/core';
import {
  type AgentState,
  type AgentStatus,
  AUTO_PAUSE,
  type PauseReason,
  type StatusChoice,
} from '@parley/contract';

/** The guide's name for a status: "Available", the pause reason, "Auto Pause" or "Unavailable". */
export function statusLabel(status: AgentStatus): string {
  switch (status.kind) {
    case 'available':
      return 'Available';
    case 'paused':
      return status.reasonName;
    case 'signed_out':
      return 'Signed out';
  }
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

/** The status button's second line: the status chosen for after wrap-up (C3), or why the system paused. */
export function statusSecondaryText(agent: AgentState, pauseReasons: PauseReason[]): string | undefined {
  if (isWrapping(agent)) {
    const next = agent.nextStatus ? choiceLabel(agent.nextStatus, pauseReasons) : statusLabel(agent.status);
    return `After wrap: ${next}`;
  }
  return systemPauseDetail(agent.status);
}
