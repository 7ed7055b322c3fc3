/**
 * Section 2 of bench/outbox.ts: how fast a relay drains committed outbox rows into BullMQ and
 * into a stream, beside raw BullMQ `Queue.add` / `addBulk` and a raw pipelined XADD on the same
 * Redis. Each relay case pre-fills `N` committed rows (untimed), then times one relay (or
 * BENCH_RELAYS side by side) from its start to the last row moved.
 */
import { Queue } from 'bullmq';
import type { Herald } from 'herald';
import { transaction } from 'herald/pg';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import {
  OrderPlaced,
  OrderStreamed,
  orderParams,
  outboxRows,
  QUEUE,
  QUICK,
  setting,
  streamKey,
  TABLE,
  truncate,
} from './outbox-shared.js';
import type { RedisTarget } from './queue-producers.js';
import { count, median, printMarkdownTable, ratio, verdict } from './queue-table.js';

const N = setting('BENCH_RELAY_N', 20_000, 2000);
const ROUNDS = setting('BENCH_ROUNDS', 3, 1);
/** Rows per relay batch (the relay's `batchSize`; herald's default, 500, comes first: the target's row). */
const BATCHES = (process.env.BENCH_RELAY_BATCH ?? '500,100')
  .split(',')
  .map((value) => Number(value))
  .filter((value) => Number.isInteger(value) && value > 0);
/** Relays side by side in each relay case (they share the rows through SKIP LOCKED). */
const RELAYS = setting('BENCH_RELAYS', 1, 1);
/** Raw adds in flight at once; addBulk and XADD batches of 100 (what herald's driver pipelines). */
const CHUNK = 1000;
const BULK = 100;

type RelayKind = `relay-bullmq-${number}` | `relay-streams-${number}` | 'raw-add' | 'raw-bulk' | 'raw-xadd';

function label(kind: RelayKind): string {
  if (kind === 'raw-add') return `raw Queue.add, ${count(CHUNK)} in flight`;
  if (kind === 'raw-bulk') return `raw Queue.addBulk of ${BULK}`;
  if (kind === 'raw-xadd') return `raw XADD, pipelines of ${BULK}`;
  const [, target, batch] = kind.split('-');
  const relays = RELAYS === 1 ? 'one relay' : `${RELAYS} relays`;
  return `${relays} → ${target === 'bullmq' ? 'BullMQ' : 'stream'}, batch ${batch}`;
}

/**
 * Commits `n` rows: one written by a real dispatch in a transaction, then `n - 1` copies of it
 * in one INSERT (the relay's work depends on the rows, not on how they were written; section 1
 * times the writing).
 */
async function fill(herald: Herald, pool: pg.Pool, streamed: boolean, n: number): Promise<void> {
  await transaction(herald, pool, async () => {
    const params = orderParams('fill', 0);
    await herald.dispatch(streamed ? new OrderStreamed(...params) : new OrderPlaced(...params));
  });
  await pool.query(
    `INSERT INTO ${TABLE} (connection, job) SELECT connection, job FROM ${TABLE}, generate_series(2, $1)`,
    [n],
  );
}

/** The wire data of one job as the relay pushes it, for the raw cases (same size on Redis). */
async function sampleData(herald: Herald, pool: pg.Pool): Promise<Record<string, unknown>> {
  await fill(herald, pool, false, 1);
  const { rows } = await pool.query<{ job: { data: Record<string, unknown> } }>(`SELECT job FROM ${TABLE}`);
  await truncate(pool);
  return rows[0]?.job.data ?? {};
}

interface Context {
  readonly herald: Herald;
  readonly pool: pg.Pool;
  readonly redis: RedisTarget;
  readonly admin: Redis;
  readonly prefix: string;
  readonly data: Record<string, unknown>;
}

/** Times one case over `n` jobs or rows; resolves with rows (jobs, entries) per second. */
async function runCase(kind: RelayKind, context: Context, n: number): Promise<number> {
  const { herald, pool, admin, prefix, data } = context;
  if (kind.startsWith('relay')) {
    const streamed = kind.startsWith('relay-streams');
    await fill(herald, pool, streamed, n);
    const batchSize = Number(kind.split('-')[2]);
    let moved = 0;
    let done: () => void = () => {};
    const drained = new Promise<void>((resolve) => (done = resolve));
    const started = performance.now();
    const relays = await Promise.all(
      Array.from({ length: RELAYS }, () =>
        herald.outbox?.relay({
          batchSize,
          onRelayed: (rows) => {
            moved += rows;
            if (moved >= n) done();
          },
          onError: (error) => console.error(`relay error: ${error.message}`),
        }),
      ),
    );
    await drained;
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(relays.map((relay) => relay?.close()));
    const left = await outboxRows(pool);
    // No worker runs: every job waits in BullMQ's wait list.
    const landed = streamed
      ? await admin.xlen(streamKey(prefix))
      : await admin.llen(`${prefix}:${QUEUE}:wait`);
    if (left !== 0 || landed !== n) throw new Error(`${kind}: ${left} rows left, ${landed} of ${n} on Redis`);
    return n / seconds;
  }
  if (kind === 'raw-xadd') {
    const fields = Object.entries(data).flatMap(([key, value]) => [key, JSON.stringify(value)]);
    const started = performance.now();
    for (let first = 0; first < n; first += CHUNK) {
      const pipelines: Promise<unknown>[] = [];
      for (let start = first; start < Math.min(n, first + CHUNK); start += BULK) {
        const pipeline = admin.pipeline();
        for (let seq = start; seq < Math.min(n, start + BULK); seq++)
          pipeline.xadd(`${prefix}:raw`, '*', ...fields);
        pipelines.push(pipeline.exec());
      }
      await Promise.all(pipelines);
    }
    return n / ((performance.now() - started) / 1000);
  }
  const queue = new Queue(QUEUE, {
    connection: { host: context.redis.host, port: context.redis.port },
    prefix,
  });
  queue.on('error', () => {});
  // The retention herald's driver sets by default (bullmq-job-options.ts): the same work for Redis.
  const opts = {
    removeOnComplete: { count: 1000, age: 3600 },
    removeOnFail: { count: 10_000, age: 604_800 },
  };
  try {
    await queue.waitUntilReady();
    const started = performance.now();
    for (let first = 0; first < n; first += CHUNK) {
      const seqs = Array.from({ length: Math.min(CHUNK, n - first) }, (_, i) => first + i);
      if (kind === 'raw-add') await Promise.all(seqs.map(() => queue.add('bench', data, opts)));
      else {
        const bulks: Promise<unknown>[] = [];
        for (let start = 0; start < seqs.length; start += BULK)
          bulks.push(
            queue.addBulk(seqs.slice(start, start + BULK).map(() => ({ name: 'bench', data, opts }))),
          );
        await Promise.all(bulks);
      }
    }
    return n / ((performance.now() - started) / 1000);
  } finally {
    await queue.close();
  }
}

/** Prints section 2: relay throughput beside raw adds, and the target's verdict. */
export async function relaySection(
  makeApp: (prefix: string) => Promise<Herald>,
  pool: pg.Pool,
  redis: RedisTarget,
  admin: Redis,
): Promise<void> {
  const kinds: RelayKind[] = [
    'raw-add',
    'raw-bulk',
    'raw-xadd',
    ...BATCHES.flatMap((batch): RelayKind[] => [`relay-bullmq-${batch}`, `relay-streams-${batch}`]),
  ];
  let cases = 0;
  const once = async (kind: RelayKind, n: number) => {
    const prefix = `bench-outbox-${process.pid}-${++cases}`;
    const herald = await makeApp(prefix);
    try {
      await truncate(pool);
      const data = await sampleData(herald, pool);
      return await runCase(kind, { herald, pool, redis, admin, prefix, data }, n);
    } finally {
      await herald.close();
      await admin.flushall();
    }
  };
  const rates = new Map<RelayKind, number[]>(kinds.map((kind) => [kind, []]));
  // Untimed: the first jobs through a fresh Redis and this process run slower.
  for (const kind of kinds) await once(kind, Math.min(N, 2000));
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...kinds.slice(round % kinds.length), ...kinds.slice(0, round % kinds.length)];
    for (const kind of order) rates.get(kind)?.push(await once(kind, N));
  }
  const of = (kind: RelayKind) => rates.get(kind) ?? [];
  const vsAdd = (kind: RelayKind) =>
    median(of(kind).map((rate, round) => rate / (of('raw-add')[round] ?? Number.NaN)));

  console.log(
    `\n### 2. Relay throughput: ${count(N)} committed rows drained by ${RELAYS === 1 ? 'one relay' : `${RELAYS} relays side by side`}, vs raw adds of ${count(N)} jobs of the same data; median of ${ROUNDS} rounds${QUICK ? ' (quick)' : ''}\n`,
  );
  printMarkdownTable(
    ['case', 'rows (jobs) /s', 'vs raw Queue.add, paired', 'per round'],
    kinds.map((kind) => [
      label(kind),
      count(median(of(kind))),
      ratio(vsAdd(kind)),
      of(kind)
        .map((value) => count(value))
        .join(' / '),
    ]),
  );
  const relay = vsAdd(`relay-bullmq-${BATCHES[0] ?? 100}`);
  console.log('');
  printMarkdownTable(
    ['target', 'measured (median of paired rounds)', 'verdict'],
    [
      [
        `${label(`relay-bullmq-${BATCHES[0] ?? 100}`)} >= 0.8x raw Queue.add`,
        ratio(relay),
        verdict(relay >= 0.8),
      ],
    ],
  );
}
