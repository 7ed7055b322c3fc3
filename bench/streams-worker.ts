/**
 * The worker side of bench/streams.ts, run as a child process (`node --expose-gc jiti-cli
 * bench/streams-worker.ts`) so its CPU and RSS are its own. Either `herald.work()` on the
 * `streams` connection (1 or 3 listeners, one consumer group each) or the raw ceiling: one
 * XREADGROUP COUNT 100 / XACK loop on ioredis. It counts handled entries (once per listener) and
 * answers the producer over IPC (bench/worker-ipc.ts). Not meant to be run by hand.
 */
import { createHerald } from 'herald';
import { Redis } from 'ioredis';
import {
  onStreamHandle,
  RAW_GROUP,
  rawStreamKey,
  type StreamsWorkerSpec,
  streamsConfig,
} from './streams-shared.js';
import { WorkerIpc } from './worker-ipc.js';

const spec = JSON.parse(process.env.BENCH_WORKER_SPEC ?? '') as StreamsWorkerSpec;
const ipc = new WorkerIpc(spec.recordLatency);

/** Longest a raw read blocks: how long close() waits at worst. */
const RAW_BLOCK_MS = 200;

/** The `[id, fields]` entries of an XREADGROUP reply on one stream (RESP2 list or RESP3 map). */
function entriesOf(reply: unknown): [string, string[]][] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  // RESP3 (ioredis 6 where the server has it) flattens the map to key, entries; RESP2 nests pairs.
  const entries = typeof reply[0] === 'string' ? reply[1] : (reply[0] as unknown[])[1];
  return Array.isArray(entries) ? (entries as [string, string[]][]) : [];
}

/** The dispatch time carried in an entry's JSON payload field. */
function sentAtOf(fields: readonly string[]): number {
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === 'payload')
      return (JSON.parse(fields[index + 1] as string) as { sentAt: number }).sentAt;
  }
  return Number.NaN;
}

async function startRaw(): Promise<() => Promise<void>> {
  const redis = new Redis({ host: spec.host, port: spec.port, maxRetriesPerRequest: null });
  const key = rawStreamKey(spec.prefix);
  await redis.xgroup('CREATE', key, RAW_GROUP, '$', 'MKSTREAM');
  let running = true;
  const loop = (async () => {
    while (running) {
      const reply = await redis.call(
        'XREADGROUP',
        'GROUP',
        RAW_GROUP,
        'raw-consumer',
        'COUNT',
        100,
        'BLOCK',
        RAW_BLOCK_MS,
        'STREAMS',
        key,
        '>',
      );
      const entries = entriesOf(reply);
      if (entries.length === 0) continue;
      // Handled like herald's listeners are: the payload parsed, the handler called; then one XACK.
      for (const [, fields] of entries) ipc.handled(sentAtOf(fields));
      await redis.xack(key, RAW_GROUP, ...entries.map(([id]) => id));
    }
  })();
  return async () => {
    running = false;
    await loop;
    await redis.quit();
  };
}

async function startHerald(): Promise<() => Promise<void>> {
  onStreamHandle(ipc.handled);
  const herald = await createHerald(streamsConfig(spec.url, spec.prefix, spec.listeners));
  const worker = await herald.work({ concurrency: spec.concurrency });
  return async () => {
    await worker.close();
    await herald.close();
  };
}

ipc.serve(await (spec.mode === 'raw' ? startRaw() : startHerald()));
