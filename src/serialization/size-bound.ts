import type { EncodedPayload } from './encoded-payload.js';

/** What `encodePayloadMeasured` (encode-payload.ts) returns. */
export interface MeasuredPayload {
  readonly payload: EncodedPayload;
  /**
   * An upper bound of `Buffer.byteLength(JSON.stringify(payload))`, counted while encoding so a
   * size limit costs nothing for the usual small event; only a payload whose bound passes the
   * limit needs to be measured exactly.
   */
  readonly maxBytes: number;
}

// The size bound: JSON.stringify writes at most 6 bytes per UTF-16 unit of a string (`\u001f`,
// a lone surrogate) and at most 25 characters for a number; every value gets VALUE_BYTES for
// its punctuation and any short text, every key KEY_BYTES plus 6 per unit, and every tagged
// node TAG_BYTES plus its ASCII text. The property test in codec.limits.test.ts checks the
// bound never falls below the real size.
export const VALUE_BYTES = 32;
export const KEY_BYTES = 8;
export const TAG_BYTES = 32;

/** Bound of a JSON leaf (a string, finite number, boolean or null) as an array element or property value. */
export function leafBytes(value: string | number | boolean | null): number {
  return typeof value === 'string' ? VALUE_BYTES + 6 * value.length : VALUE_BYTES;
}
