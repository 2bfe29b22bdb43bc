/**
 * The media endpoint seen by the media engine: one leg of a call, WebRTC (werift now,
 * node-datachannel later) or plain RTP. Audio crosses this boundary as 20 ms frames of
 * 160 linear 16-bit samples at 8 kHz; codecs, packetisation and RFC 4733 stay inside.
 */
export interface MediaEndpoint {
  readonly id: string;
  readonly kind: 'webrtc' | 'rtp';
  /**
   * Decoded 20 ms frames (160 samples, 8 kHz) as they arrive, each a fresh array the listener may
   * keep. Returns an unsubscribe function.
   */
  onAudio(listener: (frame: Int16Array) => void): () => void;
  /** RFC 4733 digits received (deduplicated), one call per key press. Returns an unsubscribe function. */
  onDtmf(listener: (digit: string) => void): () => void;
  /**
   * Sends one 20 ms frame (160 samples); the endpoint encodes and packetises it before returning
   * and keeps no reference to it: the caller reuses its frame buffers every tick.
   */
  sendAudio(frame: Int16Array): void;
  /**
   * Sends one RFC 4733 digit. Its packets go out on the following `sendAudio` calls (one per
   * call, in place of the audio), so DTMF keeps to the caller's 20 ms clock.
   */
  sendDtmf(digit: string): void;
  /** ms timestamp (Date.now()) of the last RTP packet received; undefined before any. For the inactivity watchdog. */
  readonly lastReceivedAt: number | undefined;
  readonly closed: boolean;
  /** Releases sockets and listeners; idempotent. */
  close(): Promise<void>;
}

/** A small typed listener set for endpoint implementations. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => {
      this.set.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of this.set) listener(value);
  }

  clear(): void {
    this.set.clear();
  }
}
