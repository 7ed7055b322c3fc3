/**
 * The transactional outbox's cost and speed, on a private PostgreSQL and a private Redis.
 *
 *   npm run bench:outbox            (under 2 minutes; BENCH_QUICK=1 for a quick check)
 *
 * 1. Transactions/s with one order each (bench/outbox-tx.ts): raw BEGIN/INSERT/COMMIT, the same
 *    plus a hand-written outbox row, `transaction(herald, pool)` with the INSERT, and the same
 *    plus `herald.dispatch()` of an event whose queued listener becomes an outbox row.
 *    BENCH_TX_N transactions per case (default 4,000), BENCH_CLIENTS at a time (8).
 * 2. Relay throughput (bench/outbox-relay.ts): BENCH_RELAY_N committed rows (20,000) drained by
 *    one relay into BullMQ and into a stream, per relay batch size in BENCH_RELAY_BATCH
 *    ("500,100"; herald's default batch is 500), beside raw `Queue.add`, `addBulk` and pipelined XADD of the same data.
 *
 * BENCH_ROUNDS rounds (3) after an untimed one, cases in a rotating order; medians and per-round
 * (paired) ratios. BENCH_ONLY=tx,relay runs a subset. PostgreSQL runs with fsync off (as the test
 * suite's does) unless BENCH_FSYNC=1. Speed is printed, never asserted.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startPostgresServer } from '../test/support/postgres-server.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { relaySection } from './outbox-relay.js';
import { CREATE_ORDERS, outboxApp, QUICK } from './outbox-shared.js';
import { CLIENTS, transactionsSection } from './outbox-tx.js';

const ONLY = new Set((process.env.BENCH_ONLY ?? 'tx,relay').split(','));
const FSYNC = process.env.BENCH_FSYNC === '1';

function versionOf(name: string): string {
  return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
}

async function main(): Promise<void> {
  const started = performance.now();
  const [redisServer, postgres] = await Promise.all([
    startRedisServer(),
    startPostgresServer({ fsync: FSYNC }),
  ]);
  const admin = new Redis({ host: redisServer.host, port: redisServer.port });
  const pool = new pg.Pool({ connectionString: await postgres.createDatabase('bench_outbox'), max: CLIENTS });
  // A connection still open when the server stops reports it on the pool; unheard, that crashes
  // the process before the error that stopped the run is printed.
  pool.on('error', () => {});
  try {
    await pool.query(CREATE_ORDERS);
    const redisVersion = /^redis_version:(\S+)/m.exec(await admin.info('server'))?.[1] ?? '?';
    const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
    console.log(
      `## Outbox benchmark: transactions with and without the outbox, and the relay's throughput${QUICK ? ' (BENCH_QUICK: small counts)' : ''}\n\nNode ${process.version}, BullMQ ${versionOf('bullmq')}, pg ${versionOf('pg')}, Redis ${redisVersion} (private, no AOF), PostgreSQL ${rows[0]?.server_version ?? '?'} (private, fsync ${FSYNC ? 'on' : 'off'}), ${availableParallelism()} CPUs; everything in this process.`,
    );
    const redis = { url: redisServer.url, host: redisServer.host, port: redisServer.port };
    const makeApp = (prefix: string) => outboxApp(redis.url, prefix, pool);
    if (ONLY.has('tx')) {
      const herald = await makeApp(`bench-outbox-${process.pid}-tx`);
      try {
        await herald.outbox?.install();
        await transactionsSection(herald, pool);
      } finally {
        await herald.close();
        await admin.flushall();
      }
    } else {
      const herald = await makeApp('install');
      await herald.outbox?.install();
      await herald.close();
    }
    if (ONLY.has('relay')) await relaySection(makeApp, pool, redis, admin);
  } finally {
    await admin.quit();
    await pool.end();
    await Promise.all([redisServer.stop(), postgres.stop()]);
  }
  console.log(`\nTotal runtime: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
