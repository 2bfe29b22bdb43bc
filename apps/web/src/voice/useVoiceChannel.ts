import { type ConnectionStatus, RealtimeClient } from '@parley/client';
import type {
  Snapshot,
  VoiceHangupFrame,
  VoiceOfferFrame,
  VoiceServerFrame,
  VoiceStandbyFrame,
} from '@parley/contract';
import { useEffect, useRef, useState } from 'react';
import { openBrowserSocket } from '../toolbar/openBrowserSocket';
import { realtimeUrl } from '../toolbar/realtimeUrl';

/** The Web Connect tab's own signalling channel (its closing is how the server learns the tab went). */
export interface VoiceChannel {
  /** Resolves once the channel is open (at once if it is); rejects after `limitMs`. */
  whenOpen(limitMs: number): Promise<void>;
  /** False when the channel is not open. */
  send(frame: VoiceOfferFrame | VoiceHangupFrame | VoiceStandbyFrame): boolean;
  onVoice(listener: (frame: VoiceServerFrame) => void): () => void;
}

export interface VoiceChannelState {
  channel: VoiceChannel;
  status: ConnectionStatus;
  snapshot: Snapshot | undefined;
}

/** Opens a realtime channel of the tab's own for as long as the Web Connect page is shown. */
export function useVoiceChannel(onRevoked: (reason: string) => void): VoiceChannelState {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [snapshot, setSnapshot] = useState<Snapshot | undefined>(undefined);
  const client = useRef<RealtimeClient | undefined>(undefined);
  const voiceListeners = useRef(new Set<(frame: VoiceServerFrame) => void>());
  const revokedHandler = useRef(onRevoked);
  revokedHandler.current = onRevoked;

  useEffect(() => {
    const current = new RealtimeClient({ connect: () => openBrowserSocket(realtimeUrl()) });
    const unsubscribe = current.subscribe({
      state: (next) => setSnapshot(next),
      status: (next) => setStatus(next),
      revoked: (reason) => revokedHandler.current(reason),
      voice: (frame) => {
        for (const listener of voiceListeners.current) listener(frame);
      },
    });
    client.current = current;
    current.start();
    return () => {
      unsubscribe();
      current.stop();
      client.current = undefined;
    };
  }, []);

  const [channel] = useState<VoiceChannel>(() => ({
    whenOpen: (limitMs) =>
      new Promise<void>((resolve, reject) => {
        const current = client.current;
        if (!current) return reject(new Error('The connection to Parley is closed.'));
        if (current.connectionStatus === 'open') return resolve();
        const timer = window.setTimeout(() => {
          stopListening();
          reject(new Error('Parley could not be reached. Check your network connection, then try again.'));
        }, limitMs);
        const stopListening = current.subscribe({
          status: (next) => {
            if (next !== 'open') return;
            window.clearTimeout(timer);
            stopListening();
            resolve();
          },
        });
      }),
    send: (frame) => client.current?.sendVoice(frame) ?? false,
    onVoice: (listener) => {
      voiceListeners.current.add(listener);
      return () => voiceListeners.current.delete(listener);
    },
  }));

  return { channel, status, snapshot };
}
