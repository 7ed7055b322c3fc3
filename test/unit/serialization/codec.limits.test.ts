import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { ClassResolver } from '../../../src/serialization/class-resolver.js';
import { decodePayload } from '../../../src/serialization/decode-payload.js';
import { encodePayload, encodePayloadMeasured } from '../../../src/serialization/encode-payload.js';
import { caught, decodeJson, resolver, roundTripValue } from './codec-fixtures.js';

const MiB = 1024 * 1024;

/** Bytes whose base64 uses the whole alphabet and ends in padding. */
function bytes(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 131 + 7) % 256;
  return out;
}

describe('codec size limits', () => {
  it('round-trips Buffers and Uint8Arrays of several MiB (the base64 check is linear, not a regex)', () => {
    // 3.2 MiB was where the old base64 regex overflowed the stack; 8 MiB is well past it.
    for (const size of [3.3 * MiB, 8 * MiB + 1]) {
      const buffer = bytes(Math.floor(size));
      const decoded = roundTripValue(buffer);
      expect(Buffer.isBuffer(decoded)).toBe(true);
      expect(decoded.equals(buffer)).toBe(true);
      const view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      const back = roundTripValue(view);
      expect(back).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(back).equals(buffer)).toBe(true);
    }
  });

  it('refuses corrupted base64 of any size as bad_payload, naming the path', () => {
    const text = bytes(3.3 * MiB).toString('base64');
    const corrupted = `${text.slice(0, 1000)}!${text.slice(1001)}`;
    const error = caught(() => decodePayload({ blob: { $t: 'buf', v: corrupted } }, resolver));
    expect(error.kind).toBe('bad_payload');
    expect(error.message).toContain('event.blob is a malformed "buf" node: v must be padded base64 text');
    // Unpadded or non-canonical text is not what the encoder writes either.
    for (const v of ['AQ', 'AR==', 'AQ==AQ==']) {
      expect(caught(() => decodePayload({ $t: 'u8', v }, resolver)).kind, v).toBe('bad_payload');
    }
  });

  it('maps anything unexpected thrown while decoding to bad_payload, with the cause kept', () => {
    const broken: ClassResolver = {
      nameOf: () => undefined,
      classFor: () => {
        throw new RangeError('resolver blew up');
      },
    };
    const error = caught(() => decodePayload({ a: [{ $t: 'cls', n: 'x', v: {} }] }, broken));
    expect(error.kind).toBe('bad_payload');
    expect(error.message).toContain('event.a[0] could not be decoded (resolver blew up)');
    expect(error.cause).toBeInstanceOf(RangeError);
  });

  it('keeps the deep-nesting messages under 300 characters, even with long keys', () => {
    const key = 'k'.repeat(5000);
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 1500; i++) {
      const next: Record<string, unknown> = {};
      deep[key] = next;
      deep = next;
    }
    const encodeError = caught(() => encodePayload(root, resolver));
    expect(encodeError.message).toContain('nested deeper than 1000 levels');
    expect(encodeError.message.length).toBeLessThan(300);
    const json = `${`{"${key}":`.repeat(1500)}{}${'}'.repeat(1500)}`;
    const decodeError = caught(() => decodeJson(json));
    expect(decodeError.message).toContain('nested deeper than 1000 levels');
    expect(decodeError.message).toMatch(/^event\.k{24}….*…\(994 more\)…/);
    expect(decodeError.message.length).toBeLessThan(300);
  });

  it('bounds the encoded size from above, escapes and multi-byte text included', () => {
    const values: unknown[] = [
      { control: '\u0001'.repeat(1000), lone: '\ud800'.repeat(1000), quote: '"\\'.repeat(500) },
      { emoji: '😀'.repeat(1000), accents: 'é'.repeat(1000), [`${'\u0002'.repeat(50)}`]: 1 },
      { numbers: [-1 / 3e6, -2 / 3e7, Number.MIN_VALUE, -Number.MAX_VALUE, -1e21] },
      [new Date(8.64e15), new Date(-8.64e15), new Date(Number.NaN), -0, Number.NaN, undefined],
      { map: new Map<unknown, unknown>([[{ a: [1n] }, new Set([undefined, bytes(10)])]]) },
    ];
    for (const value of values) {
      const { payload, maxBytes } = encodePayloadMeasured({ value }, resolver);
      expect(maxBytes).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(payload)));
    }
  });
});
