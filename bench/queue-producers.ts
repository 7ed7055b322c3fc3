/**
 * The producer sides bench/queue.ts compares: herald's `dispatch` (one queued listener, so one
 * BullMQ job per dispatch), raw `Queue.add`, and raw `Queue.addBulk`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { createHerald } from 'herald';
import { BenchEvent, heraldConfig, now, QUEUE, RAW_JOB_OPTIONS } from './queue-shared.js';

/** Which producer a case uses. */
/** `herald-nometrics`: herald's producer, its worker with metrics recording off. */
export type ProducerKind = 'herald' | 'herald-nometrics' | 'raw-add' | 'raw-bulk';

/** Where the private Redis listens. */
export interface RedisTarget {
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

/** One producer: sends jobs whose data carries the send time. */
export interface Producer {
  /** Sends one job. */
  send(seq: number): Promise<unknown>;
  /** Sends a chunk concurrently: `Promise.all` of `send`, or one `addBulk` call. */
  sendChunk(seqs: readonly number[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Makes a producer of a kind on its own connection under `prefix`. */
export async function makeProducer(
  kind: ProducerKind,
  redis: RedisTarget,
  prefix: string,
): Promise<Producer> {
  if (kind === 'herald' || kind === 'herald-nometrics') {
    const herald = await createHerald(heraldConfig(redis.url, prefix));
    const send = (seq: number) => herald.dispatch(new BenchEvent(seq, now()));
    return {
      send,
      sendChunk: (seqs) => Promise.all(seqs.map(send)),
      close: () => herald.close(),
    };
  }
  const queue = new Queue(QUEUE, { connection: { host: redis.host, port: redis.port }, prefix });
  queue.on('error', () => {});
  const send = (seq: number) => queue.add('bench', { seq, sentAt: now() }, RAW_JOB_OPTIONS);
  return {
    send,
    sendChunk:
      kind === 'raw-bulk'
        ? (seqs) =>
            queue.addBulk(
              seqs.map((seq) => ({ name: 'bench', data: { seq, sentAt: now() }, opts: RAW_JOB_OPTIONS })),
            )
        : (seqs) => Promise.all(seqs.map(send)),
    close: () => queue.close(),
  };
}

/** Sends jobs `first .. first+count-1` in chunks of `chunk`, one chunk after another. */
export async function sendAll(
  producer: Producer,
  first: number,
  count: number,
  chunk: number,
): Promise<void> {
  for (let start = first; start < first + count; start += chunk) {
    const size = Math.min(chunk, first + count - start);
    await producer.sendChunk(Array.from({ length: size }, (_, i) => start + i));
  }
}

/**
 * Sends `count` jobs one every `gapMs` (each started on schedule, not after the previous one
 * was acknowledged), then waits for every acknowledgement.
 */
export async function sendPaced(
  producer: Producer,
  first: number,
  count: number,
  gapMs: number,
): Promise<void> {
  const start = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = start + i * gapMs - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(producer.send(first + i));
  }
  await Promise.all(pending);
}
