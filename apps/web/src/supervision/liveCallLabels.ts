import type { LiveCall, MonitorMode } from '@parley/contract';

export const liveCallStates: Record<LiveCall['state'], { label: string; color: string }> = {
  connected: { label: 'Talking', color: 'green' },
  held: { label: 'On hold', color: 'orange' },
  consulting: { label: 'Consulting', color: 'violet' },
  conference: { label: 'Conference', color: 'indigo' },
};

/** The monitor buttons, in the order of how much the manager takes part. */
export const monitorModes: { mode: MonitorMode; label: string; doing: string }[] = [
  { mode: 'listen', label: 'Listen', doing: 'Listening' },
  { mode: 'whisper', label: 'Whisper', doing: 'Whispering' },
  { mode: 'barge', label: 'Barge', doing: 'Barged in' },
];

export function monitorDoing(mode: MonitorMode): string {
  return monitorModes.find((m) => m.mode === mode)?.doing ?? mode;
}

/** Agents asking for help first, the longest waiting at the top; the other calls as the server lists them. */
export function orderLiveCalls(calls: LiveCall[]): LiveCall[] {
  const asking = calls
    .filter((call) => call.assistRequestedAt !== undefined)
    .sort((a, b) => Date.parse(a.assistRequestedAt ?? '') - Date.parse(b.assistRequestedAt ?? ''));
  return [...asking, ...calls.filter((call) => call.assistRequestedAt === undefined)];
}
