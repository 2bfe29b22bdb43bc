/** RFC 3261 §17 timer values (ms). T1 is the round-trip estimate; 64*T1 bounds a transaction. */
export interface SipTimers {
  T1: number;
  T2: number;
  T4: number;
}

export const DEFAULT_TIMERS: SipTimers = { T1: 500, T2: 4000, T4: 5000 };

/** The message a transaction hands to the transport; the transport knows where it goes. */
export type Send<M> = (message: M) => void;
