import { Alert } from '@mantine/core';
import type { Notification } from '@parley/contract';
import { CallbackItem } from './CallbackItem';
import { SidePanelSection } from './SidePanelSection';
import { useCallbacks } from './useCallbacks';

export interface CallbackListProps {
  /** The side panel is open: the list is fetched then, and kept current while it stays open. */
  open: boolean;
  /** The toolbar's notifications: a "Callback due" one fetches the list again. */
  notifications: Notification[] | undefined;
  onSessionExpired: () => void;
}

/** The side panel's Callbacks (guide overview, 7.2): the agent's own and their campaigns', soonest first. */
export function CallbackList({ open, notifications, onSessionExpired }: CallbackListProps) {
  const { callbacks, error } = useCallbacks(open, notifications, onSessionExpired);
  return (
    <SidePanelSection
      title="Callbacks"
      count={callbacks?.length ?? 0}
      emptyText={callbacks ? 'No callbacks scheduled.' : error ? undefined : 'Loading callbacks…'}
      listLabel="Callbacks"
      before={
        error && (
          <Alert role="alert" variant="light" color="red" py="xs" title="Could not load your callbacks">
            {error}
          </Alert>
        )
      }
    >
      {callbacks?.map((callback) => (
        <CallbackItem key={`${callback.leadId}:${callback.at}`} callback={callback} />
      ))}
    </SidePanelSection>
  );
}
