import { Buffer } from 'node:buffer';
import { beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/validate-config.js';
import { Event, HeraldError, Listener } from '../../../src/index.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../../../src/queue/job/payload-limit.js';
import { encodePayload } from '../../../src/serialization/encode-payload.js';
import { rejectsWith, useHerald } from '../dispatch/support.js';
import { registryOf } from './codec-fixtures.js';

const MiB = 1024 * 1024;
const received: Buffer[] = [];
beforeEach(() => {
  received.length = 0;
});

@Event('limits.blob-stored')
class BlobStored {
  constructor(readonly blob: Buffer) {}
}

@Listener(BlobStored, { queue: true, tries: 3 })
class KeepBlob {
  handle(event: BlobStored): void {
    received.push(event.blob);
  }
}

/** Exactly what maxPayloadBytes is compared with: the encoded event's JSON, in UTF-8 bytes. */
function encodedBytes(event: BlobStored): number {
  return Buffer.byteLength(JSON.stringify(encodePayload(event, registryOf([BlobStored]))));
}

function blob(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31) % 256;
  return out;
}

function appOn(driver: 'memory' | 'sync', maxPayloadBytes?: number) {
  return {
    listeners: [KeepBlob],
    queue: {
      default: 'q',
      connections: { q: maxPayloadBytes === undefined ? { driver } : { driver, maxPayloadBytes } },
    },
  };
}

const boot = useHerald();

describe.each(['memory', 'sync'] as const)('maxPayloadBytes on the %s driver', (driver) => {
  it('dispatch() refuses an event over the default 1 MiB with payload_too_large naming size and limit', async () => {
    const herald = await boot(appOn(driver));
    const event = new BlobStored(blob(0.8 * MiB));
    const size = encodedBytes(event);
    expect(size).toBeGreaterThan(DEFAULT_MAX_PAYLOAD_BYTES);
    const error = await rejectsWith(herald.dispatch(event), 'payload_too_large');
    expect(error.message).toContain(`The limits.blob-stored event is ${size} bytes encoded`);
    expect(error.message).toContain(
      `over the ${DEFAULT_MAX_PAYLOAD_BYTES}-byte limit of queue connection "q"`,
    );
    expect(error.message).toContain('raise queue.connections.q.maxPayloadBytes');
    await herald.drain();
    expect(received).toEqual([]);
  });

  it('the limit is exact: an event of exactly maxPayloadBytes passes, one byte more does not', async () => {
    const event = new BlobStored(blob(1000));
    const size = encodedBytes(event);
    const atLimit = await boot(appOn(driver, size));
    await atLimit.dispatch(event);
    await atLimit.drain();
    expect(received).toHaveLength(1);
    const below = await boot(appOn(driver, size - 1));
    await rejectsWith(below.dispatch(event), 'payload_too_large');
  });

  it('with the limit raised, an 8 MiB Buffer round-trips to the listener', async () => {
    const herald = await boot(appOn(driver, 16 * MiB));
    const bytes = blob(8 * MiB);
    await herald.dispatch(new BlobStored(bytes));
    await herald.drain();
    expect(received).toHaveLength(1);
    expect(Buffer.isBuffer(received[0])).toBe(true);
    expect(received[0]?.equals(bytes)).toBe(true);
  });
});

describe('maxPayloadBytes config', () => {
  it('is accepted on every driver', () => {
    for (const driver of ['memory', 'sync', 'bullmq'] as const) {
      expect(() =>
        validateConfig({ queue: { connections: { c: { driver, maxPayloadBytes: 4 * MiB } } } }),
      ).not.toThrow();
    }
  });

  it('refuses anything but a whole number of bytes from 1 to 256 MiB, naming the key', () => {
    for (const bad of [0, -1, 1.5, '1mb', 257 * MiB, Number.NaN]) {
      let caught: unknown;
      try {
        validateConfig({ queue: { connections: { big: { driver: 'memory', maxPayloadBytes: bad } } } });
      } catch (error) {
        caught = error;
      }
      expect(HeraldError.is(caught, 'config_invalid'), String(bad)).toBe(true);
      expect((caught as Error).message).toContain(
        '"queue.connections.big.maxPayloadBytes" must be a whole number',
      );
    }
  });
});
