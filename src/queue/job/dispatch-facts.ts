import { randomUUID } from 'node:crypto';
import type { ClassResolver } from '../../serialization/class-resolver.js';
import { encodePayloadMeasured } from '../../serialization/encode-payload.js';
import type { EncodedPayload } from '../../serialization/encoded-payload.js';

/** One dispatch's shared facts, computed once for all of its jobs. */
export interface DispatchFacts {
  readonly dispatchId: string;
  readonly dispatchedAt: string;
  readonly eventName: string;
  readonly payload: EncodedPayload;
  /** An upper bound of the payload's JSON size in bytes, for the `maxPayloadBytes` check. */
  readonly payloadMaxBytes: number;
}

/**
 * The facts all jobs of one dispatch share: one dispatch id, one time, and the event encoded once.
 * Encoding here, before any listener runs, is what makes a payload that cannot travel fail the
 * whole dispatch before anything is enqueued or handled.
 */
export function dispatchFacts(event: object, eventName: string, resolver: ClassResolver): DispatchFacts {
  const { payload, maxBytes } = encodePayloadMeasured(event, resolver);
  return { dispatchId: randomUUID(), dispatchedAt: isoNow(), eventName, payload, payloadMaxBytes: maxBytes };
}

let lastMs = Number.NaN;
let lastIso = '';

/** The current time as ISO text; a burst of dispatches in one millisecond formats it once. */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
