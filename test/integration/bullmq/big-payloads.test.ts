import { Buffer } from 'node:buffer';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHerald,
  Event,
  type Herald,
  HeraldError,
  Listener,
  type ListenerContext,
} from '../../../src/index.js';
import { testRedisUrl, uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';

/** Big payloads through real Redis: what is accepted round-trips, what is too large never lands. */

const MiB = 1024 * 1024;
const received: { blob: Buffer; attempt: number }[] = [];
const failures: string[] = [];

@Event('big.blob-uploaded')
class BlobUploaded {
  constructor(
    readonly name: string,
    readonly blob: Buffer,
  ) {}
}

@Listener(BlobUploaded, { queue: 'blobs', tries: 3, backoff: 10, name: 'big.StoreBlob' })
class StoreBlob {
  handle(event: BlobUploaded, ctx: ListenerContext): void {
    received.push({ blob: event.blob, attempt: ctx.attempt });
  }
  failed(_event: BlobUploaded, error: Error): void {
    failures.push(error.message);
  }
}

function config(prefix: string, maxPayloadBytes?: number) {
  return {
    listeners: [StoreBlob],
    queue: {
      default: 'redis',
      connections: {
        redis: {
          driver: 'bullmq' as const,
          url: testRedisUrl(),
          prefix,
          ...(maxPayloadBytes === undefined ? {} : { maxPayloadBytes }),
        },
      },
    },
  };
}

/** Bytes whose base64 uses the whole alphabet. */
function blob(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 131 + 7) % 256;
  return out;
}

describe('big payloads on bullmq', () => {
  const apps: Herald[] = [];
  const queues: Queue[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await Promise.all(
      queues.splice(0).map(async (queue) => {
        await queue.obliterate({ force: true });
        await queue.close();
      }),
    );
    received.length = 0;
    failures.length = 0;
  });

  it('an 8 MiB Buffer round-trips through Redis on its first attempt when maxPayloadBytes allows it', async () => {
    const prefix = uniqueQueueName('big');
    const producer = await createHerald(config(prefix, 16 * MiB));
    const worker = await createHerald(config(prefix, 16 * MiB));
    apps.push(producer, worker);
    queues.push(new Queue('blobs', { connection: { url: testRedisUrl() }, prefix }));
    const bytes = blob(8 * MiB);
    await producer.dispatch(new BlobUploaded('eight', bytes));
    const outcomes: string[] = [];
    await worker.work({
      queues: ['blobs'],
      onJob: (report) => outcomes.push(`${report.outcome} ${report.error ?? ''}`.trim()),
    });
    await waitFor('a job outcome', () => outcomes.length > 0, { timeoutMs: 30_000, intervalMs: 50 });
    expect(outcomes).toEqual(['completed']);
    expect(failures).toEqual([]);
    expect(received).toHaveLength(1);
    expect(received[0]?.attempt).toBe(1);
    expect(Buffer.isBuffer(received[0]?.blob)).toBe(true);
    expect(received[0]?.blob.equals(bytes)).toBe(true);
  }, 60_000);

  it('a 3.3 MiB Buffer under the default limit is refused at dispatch and never reaches Redis', async () => {
    const prefix = uniqueQueueName('big');
    const producer = await createHerald(config(prefix));
    apps.push(producer);
    const queue = new Queue('blobs', { connection: { url: testRedisUrl() }, prefix });
    queues.push(queue);
    let caught: unknown;
    try {
      await producer.dispatch(new BlobUploaded('too-big', blob(3.3 * MiB)));
    } catch (error) {
      caught = error;
    }
    expect(HeraldError.is(caught, 'payload_too_large')).toBe(true);
    expect((caught as Error).message).toMatch(
      /The big\.blob-uploaded event is \d+ bytes encoded, over the 1048576-byte limit of queue connection "redis"/,
    );
    // A small event on the same app still goes through: nothing was half-written.
    await producer.dispatch(new BlobUploaded('small', blob(10)));
    const counts = await queue.getJobCounts('wait', 'delayed', 'active', 'failed');
    expect(counts).toEqual({ wait: 1, delayed: 0, active: 0, failed: 0 });
  }, 60_000);
});
