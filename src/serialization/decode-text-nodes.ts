import { Buffer } from 'node:buffer';

/** Throws the decoder's error for a malformed node, with `detail` saying what is wrong. */
export type FailNode = (detail: string) => never;

// Date and base64 nodes are checked by writing the decoded value back and comparing: only the
// exact text the encoder writes passes. A regex with a repeated group (the old base64 check)
// overflows the stack on a few MiB of text (test/unit/serialization/codec.limits.test.ts).
const DECIMAL_INTEGER = /^-?(?:0|[1-9]\d*)$/;
/** `Date#toISOString` never writes more: `+275760-09-13T00:00:00.000Z` is the longest. */
const MAX_ISO_LENGTH = 27;

/** The `v` of a number node: a number JSON cannot hold (NaN, ±Infinity, -0). */
export function decodeSpecialNumber(text: unknown, fail: FailNode): number {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    case '-0':
      return -0;
    default:
      return fail('v must be "NaN", "Infinity", "-Infinity" or "-0"');
  }
}

/** The `v` of a date node: ISO text as `Date#toISOString` writes it, or null for an invalid Date. */
export function decodeIsoDate(text: unknown, fail: FailNode): Date {
  if (text === null) return new Date(Number.NaN);
  const date = typeof text === 'string' && text.length <= MAX_ISO_LENGTH ? new Date(text) : undefined;
  // The round trip refuses what Date would silently roll over (2024-02-30 → March 1) and any
  // other spelling than toISOString's, so a date decodes to exactly the instant that was sent.
  if (date === undefined || Number.isNaN(date.getTime()) || date.toISOString() !== text) {
    return fail('v must be a real ISO 8601 UTC time, exactly as Date#toISOString writes it, or null');
  }
  return date;
}

/** The `v` of a bigint node: decimal integer text. */
export function decodeBigInt(text: unknown, fail: FailNode): bigint {
  if (typeof text !== 'string' || !DECIMAL_INTEGER.test(text)) {
    return fail('v must be a decimal integer string');
  }
  return BigInt(text);
}

/** The `v` of a Buffer or Uint8Array node: padded base64 text, as `Buffer#toString('base64')` writes. */
export function decodeBase64(text: unknown, fail: FailNode): Buffer {
  if (typeof text !== 'string') return fail('v must be padded base64 text');
  // Buffer.from(…, 'base64') skips characters it does not know, so corruption would pass
  // unseen: re-encoding must give the same text back. Linear, native, any size.
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return fail('v must be padded base64 text');
  return bytes;
}
