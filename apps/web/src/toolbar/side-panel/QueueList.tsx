import type { QueueSummary } from '@parley/contract';
import { QueueItem } from './QueueItem';
import { SidePanelSection } from './SidePanelSection';

export interface QueueListProps {
  queues: QueueSummary[];
}

export function QueueList({ queues }: QueueListProps) {
  return (
    <SidePanelSection title="Queues" count={queues.length} emptyText="No queues for your campaigns.">
      {queues.map((queue) => (
        <QueueItem key={queue.campaignId} queue={queue} />
      ))}
    </SidePanelSection>
  );
}
