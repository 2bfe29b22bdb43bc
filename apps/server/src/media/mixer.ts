/**
 * N-1 conference mixing of 20 ms frames. Each participant hears the sum of everyone else:
 * computed as (sum of all) - (own frame) in 32-bit, then saturated to int16, so a tick costs
 * two passes over the frames whatever N is, instead of N².
 */

export const FRAME_SAMPLES = 160;

/** target[i] += frame[i] over the shorter of the two. */
export function mixInto(target: Int32Array, frame: Int16Array): void {
  const n = Math.min(target.length, frame.length);
  for (let i = 0; i < n; i++) target[i] = (target[i] ?? 0) + (frame[i] ?? 0);
}

/** out[i] = saturate(sum[i] - minus[i]) (minus omitted: saturate(sum[i])); returns out. */
export function saturateInto(out: Int16Array, sum: Int32Array, minus?: Int16Array): Int16Array {
  const n = Math.min(out.length, sum.length);
  if (minus)
    for (let i = 0; i < n; i++) out[i] = Math.min(32767, Math.max(-32768, (sum[i] ?? 0) - (minus[i] ?? 0)));
  else for (let i = 0; i < n; i++) out[i] = Math.min(32767, Math.max(-32768, sum[i] ?? 0));
  return out;
}

interface Slot {
  frame: Int16Array;
  present: boolean;
}

/**
 * One tick: push() each participant's frame (a participant without a frame is silent), then
 * mixAll() if a mixed recording wants the full mix, then mix(), which ends the tick (clears
 * the frames). mix() and mixAll() return fresh arrays the caller may keep; the allocation-free
 * path is mixAllInto() / heardBy() into the caller's buffers, then clear() to end the tick.
 */
export class Mixer {
  private readonly slots = new Map<string, Slot>();
  private readonly sum: Int32Array;
  /** Whether `sum` is stale (a frame or participant changed since it was computed). */
  private dirty = true;

  constructor(private readonly frameSamples = FRAME_SAMPLES) {
    this.sum = new Int32Array(frameSamples);
  }

  get participants(): string[] {
    return [...this.slots.keys()];
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  addParticipant(id: string): void {
    if (this.slots.has(id)) return;
    this.slots.set(id, { frame: new Int16Array(this.frameSamples), present: false });
    this.dirty = true;
  }

  removeParticipant(id: string): void {
    if (this.slots.delete(id)) this.dirty = true;
  }

  /**
   * The participant's frame for this tick (copied, so the caller may reuse its buffer); a second
   * push in the same tick replaces the first. Frames for unknown ids are ignored: a leg that
   * has just left may still deliver one frame.
   */
  push(id: string, frame: Int16Array): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    if (frame.length !== this.frameSamples) {
      throw new RangeError(`mixer frames are ${this.frameSamples} samples, got ${frame.length}`);
    }
    slot.frame.set(frame);
    slot.present = true;
    this.dirty = true;
  }

  /** What each participant hears (everyone else, saturated); fresh arrays. Ends the tick. */
  mix(): Map<string, Int16Array> {
    this.computeSum();
    const out = new Map<string, Int16Array>();
    for (const [id, slot] of this.slots) {
      const frame = new Int16Array(this.frameSamples);
      saturateInto(frame, this.sum, slot.present ? slot.frame : undefined);
      out.set(id, frame);
    }
    this.clear();
    return out;
  }

  /** Everyone together (for a mixed recording); does not end the tick. */
  mixAll(): Int16Array {
    return this.mixAllInto(new Int16Array(this.frameSamples));
  }

  mixAllInto(out: Int16Array): Int16Array {
    this.computeSum();
    return saturateInto(out, this.sum);
  }

  /** What `id` hears this tick (everyone else), into out; does not end the tick. */
  heardBy(id: string, out: Int16Array): Int16Array {
    this.computeSum();
    const slot = this.slots.get(id);
    return saturateInto(out, this.sum, slot?.present ? slot.frame : undefined);
  }

  /** Forgets this tick's frames. */
  clear(): void {
    for (const slot of this.slots.values()) slot.present = false;
    this.dirty = true;
  }

  private computeSum(): void {
    if (!this.dirty) return;
    this.sum.fill(0);
    for (const slot of this.slots.values()) if (slot.present) mixInto(this.sum, slot.frame);
    this.dirty = false;
  }
}
