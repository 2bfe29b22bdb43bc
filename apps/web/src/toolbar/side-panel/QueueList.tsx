import type { QueueSummary } from '@parley/contract';
import type { ReactNode } from 'react';
import { QueueItem } from './QueueItem';
import { SidePanelSection } from './SidePanelSection';

export interface QueueListProps {
  queues: QueueSummary[];
  /** Shown at the top of the section, e.g. Connect Voice while there is no voice path. */
  before?: ReactNode;
}

export function QueueList({ queues, before }: QueueListProps) {
  return (
    <SidePanelSection
      title="Queues"
      count={queues.length}
      emptyText="No queues for your campaigns."
      before={before}
    >
      {queues.map((queue) => (
        <QueueItem key={queue.campaignId} queue={queue} />
      ))}
    </SidePanelSection>
  );
}
