import type { DiallerCampaignStats } from '@parley/contract';

/** How the last decision dialled, as a manager reads it. */
export const MODE_LABELS: Record<DiallerCampaignStats['mode'], string> = {
  predictive: 'Predictive',
  progressive: 'One line per free agent',
  idle: 'Idle',
};

/** A window at or over this share of its cap is shown as a warning: pacing falls back near it. */
export const NEAR_CAP = 0.8;

export type CapLevel = 'ok' | 'near' | 'over';

export function capLevel(rate: number, cap: number): CapLevel {
  if (rate >= cap) return 'over';
  return rate >= cap * NEAR_CAP ? 'near' : 'ok';
}

/** A rate as a percentage with two decimals: 0.0245 → "2.45%". */
export function percent(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}

/** A cap as managers set it: 0.03 → "3%", 0.025 → "2.5%". */
export function capPercent(cap: number): string {
  return `${Number((cap * 100).toFixed(2))}%`;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last seven UTC days, today included: the report's range until the manager picks one. */
export function lastSevenDays(nowMs: number): { from: string; to: string } {
  return { from: isoDay(nowMs - 6 * 86_400_000), to: isoDay(nowMs) };
}
