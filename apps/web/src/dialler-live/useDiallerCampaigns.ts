import type { DiallerCampaignStats } from '@parley/contract';
import { api } from '../api';
import { usePolled } from '../common/usePolled';

/** How often the figures are asked for again while the page is open. */
export const DIALLER_REFRESH_MS = 2000;

export interface DiallerCampaignsState {
  /** Undefined until the first answer. */
  campaigns: DiallerCampaignStats[] | undefined;
  /** Why the figures could not be loaded, until the next answer. */
  error: string | undefined;
  /** The server refused the role: the page says so and stops asking. */
  refused: boolean;
}

const load = () => api.diallerCampaigns();

/** The live figures of the predictive campaigns the manager may see, every 2 s while `enabled`. */
export function useDiallerCampaigns(enabled: boolean, onSessionExpired: () => void): DiallerCampaignsState {
  const { data, error, refused } = usePolled(load, DIALLER_REFRESH_MS, enabled, onSessionExpired);
  return { campaigns: data, error, refused };
}
