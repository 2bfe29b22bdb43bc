import type { EventBus, InteractionEvent } from '../../events.js';
import type { Call } from './call.js';

/** An event about a call, without what `publishOnCall` adds (workspace, interaction, kind). */
export type CallEvent = InteractionEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'workspaceId' | 'entryId' | 'kind'>
    : never
  : never;

/**
 * An event on one interaction of the call (by default the one of the agent who has it): the
 * interaction's timeline keeps it, and call control and toolbars follow it.
 */
export function publishOnCall(bus: EventBus, call: Call, e: CallEvent, entryId?: string): void {
  bus.publish({
    ...e,
    workspaceId: call.workspaceId,
    entryId: entryId ?? call.owner?.entryId ?? call.id,
    kind: 'voice',
  } as InteractionEvent);
}
