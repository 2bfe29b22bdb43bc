import type { ClientEvent, Snapshot } from '@parley/contract';

const MAX_NOTIFICATIONS = 50;

/** Applies one pushed event to the toolbar's state; events carry whole values, so this is a replace. */
export function applyClientEvent(state: Snapshot, event: ClientEvent): Snapshot {
  switch (event.name) {
    case 'me.updated':
      return { ...state, me: event.data.me };
    case 'workspace.settingsChanged':
      return { ...state, settings: event.data.settings };
    case 'pauseReasons.changed':
      return { ...state, pauseReasons: event.data.pauseReasons };
    case 'assignments.changed':
      return { ...state, assignments: event.data.assignments };
    case 'notification.created': {
      const rest = state.notifications.filter((n) => n.id !== event.data.notification.id);
      return { ...state, notifications: [event.data.notification, ...rest].slice(0, MAX_NOTIFICATIONS) };
    }
    case 'notifications.cleared':
      return { ...state, notifications: [] };
    case 'agent.stateChanged':
      return { ...state, agent: event.data.agent };
    case 'queues.changed':
      return { ...state, queues: event.data.queues };
    // Chats keep their messages outside the snapshot (the Chat Panel's own state).
    case 'chat.message':
    case 'chat.typing':
    case 'chat.read':
    case 'chats.waiting':
    // A failed email is the toolbar's own notice (the Email Queue icon counts from `queues`).
    case 'email.failed':
      return state;
  }
}
