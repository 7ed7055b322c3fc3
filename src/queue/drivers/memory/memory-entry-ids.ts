/**
 * Entry ids of the memory log, shaped like Redis stream ids (`<ms>-<seq>`) so a test can pass
 * the same ids and times to `herald.replay()` on memory and on `streams`.
 */
export class EntryIds {
  #ms = 0;
  #seq = 0;

  /** The next id: now's millisecond, or the last one's with the next sequence (never lower). */
  next(): string {
    const now = Date.now();
    if (now > this.#ms) {
      this.#ms = now;
      this.#seq = 0;
    } else {
      this.#seq++;
    }
    return `${this.#ms}-${this.#seq}`;
  }
}

function partsOf(id: string): [number, number] {
  const [ms = '0', seq = '0'] = id.split('-');
  return [Number(ms), Number(seq)];
}

/** Negative, zero or positive as entry id `a` sorts before, with or after `b`. */
export function compareEntryIds(a: string, b: string): number {
  const [aMs, aSeq] = partsOf(a);
  const [bMs, bSeq] = partsOf(b);
  return aMs === bMs ? aSeq - bSeq : aMs - bMs;
}

/** The append time (epoch ms) an id carries. */
export function timeOfEntryId(id: string): number {
  return partsOf(id)[0];
}
