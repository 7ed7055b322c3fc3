import { Buffer } from 'node:buffer';

/** Throws the decoder's error for a malformed node, with `detail` saying what is wrong. */
export type FailNode = (detail: string) => never;

// Exactly what the encoder writes, so a node that merely parses (e.g. "2024") is still refused.
const ISO_DATE = /^[+-]?\d{4,6}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DECIMAL_INTEGER = /^-?(?:0|[1-9]\d*)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

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
  const date = typeof text === 'string' && ISO_DATE.test(text) ? new Date(text) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    return fail('v must be an ISO 8601 UTC time (as Date#toISOString writes) or null');
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

/** The `v` of a Buffer or Uint8Array node: padded base64 text. */
export function decodeBase64(text: unknown, fail: FailNode): Buffer {
  // Buffer.from(…, 'base64') skips characters it does not know; check first so corruption shows.
  if (typeof text !== 'string' || !BASE64.test(text)) return fail('v must be padded base64 text');
  return Buffer.from(text, 'base64');
}
