/**
 * The benchmarks' baseline: a bare binary-heap event loop over parallel typed
 * arrays, with no simulator at all, so a benchmark can say how far the
 * simulator is from the cheapest loop that pops the same number of events at
 * the same queue depth (measured in the same process). Shared by
 * core.bench.ts and gossip.bench.ts.
 */

/** Latency drawn like the simulator's default network: uniform 1..10 ms, in µs. */
export const LATENCY_MIN_US = 1_000;
export const LATENCY_SPAN_US = 9_001;

/**
 * Fills a heap with `pending` events, then pops `events` events; each pop pushes
 * one event at its time + a latency. Everything is inlined into one loop (no
 * closures over mutable counters) so this is the strongest baseline we could write.
 */
export function typedArrayHeapLoop(pending: number, events: number): number {
  const capacity = pending + 1;
  const times = new Float64Array(capacity);
  const seqs = new Float64Array(capacity);
  const payloads = new Int32Array(capacity);
  let count = 0;
  let nextSeq = 0;
  let rng = 0x9e3779b9 | 0;
  let checksum = 0;
  for (let i = 0; i < pending + events; i++) {
    let timeUs = 0;
    let payload = i;
    if (i >= pending) {
      // Pop the root; sift the last entry down from the top.
      timeUs = times[0] as number;
      payload = payloads[0] as number;
      const last = --count;
      const lastTime = times[last] as number;
      const lastSeq = seqs[last] as number;
      const lastPayload = payloads[last] as number;
      let index = 0;
      for (;;) {
        let child = 2 * index + 1;
        if (child >= count) break;
        const right = child + 1;
        if (right < count) {
          const rightTime = times[right] as number;
          const leftTime = times[child] as number;
          if (rightTime < leftTime || (rightTime === leftTime && (seqs[right] as number) < (seqs[child] as number))) child = right;
        }
        const childTime = times[child] as number;
        if (lastTime < childTime || (lastTime === childTime && lastSeq < (seqs[child] as number))) break;
        times[index] = childTime;
        seqs[index] = seqs[child] as number;
        payloads[index] = payloads[child] as number;
        index = child;
      }
      times[index] = lastTime;
      seqs[index] = lastSeq;
      payloads[index] = lastPayload;
      checksum = (checksum + payload) | 0; // "handle" the event
    }
    // Push the reply at time + a latency (xorshift32).
    rng ^= rng << 13;
    rng ^= rng >>> 17;
    rng ^= rng << 5;
    timeUs += LATENCY_MIN_US + ((rng >>> 0) % LATENCY_SPAN_US);
    const seq = nextSeq++;
    let index = count++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent] as number;
      if (parentTime < timeUs || (parentTime === timeUs && (seqs[parent] as number) < seq)) break;
      times[index] = parentTime;
      seqs[index] = seqs[parent] as number;
      payloads[index] = payloads[parent] as number;
      index = parent;
    }
    times[index] = timeUs;
    seqs[index] = seq;
    payloads[index] = payload;
  }
  return checksum;
}
