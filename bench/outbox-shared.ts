/**
 * What the outbox benchmark's sections (bench/outbox-tx.ts, bench/outbox-relay.ts) share: the
 * events, the app config, the orders table, the settings and the clock.
 */
import 'reflect-metadata';
import { createHerald, Event, type Herald, Listener } from 'herald';
import type pg from 'pg';
import { envInt } from './queue-table.js';

/** A quick run (BENCH_QUICK=1): small counts, for checking the harness. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** An env integer with a default that shrinks in a quick run. */
export function setting(name: string, full: number, quick: number): number {
  return envInt(name, QUICK ? quick : full);
}

/** The outbox table every case writes (the default name). */
export const TABLE = 'herald_outbox';

/** An order, as an app would dispatch it in the transaction that saves it. */
@Event('bench.outbox-order')
export class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly email: string,
    readonly total: number,
    readonly placedAt: Date,
  ) {}
}

/** An order event appended to the stream `bench-orders` (the streams connection `log`). */
@Event('bench.outbox-streamed', { stream: 'bench-orders' })
export class OrderStreamed {
  constructor(
    readonly orderId: string,
    readonly email: string,
    readonly total: number,
    readonly placedAt: Date,
  ) {}
}

/** The one queued listener of {@link OrderPlaced}: one BullMQ job (one outbox row) per dispatch. */
@Listener(OrderPlaced, { queue: true, connection: 'redis', name: 'BenchSendReceipt' })
export class SendReceipt {
  handle(): void {}
}

/** The stream key herald appends {@link OrderStreamed} to (partition 0) under `prefix`. */
export function streamKey(prefix: string): string {
  return `${prefix}:bench-orders:0`;
}

/** The BullMQ queue the listener's jobs land on (the connection's default queue). */
export const QUEUE = 'default';

/** An app with a bullmq and a streams connection under `prefix`, its outbox on `pool`. */
export function outboxApp(redisUrl: string, prefix: string, pool: pg.Pool): Promise<Herald> {
  return createHerald({
    listeners: [SendReceipt],
    events: [OrderStreamed],
    queue: {
      default: 'redis',
      connections: {
        redis: { driver: 'bullmq', url: redisUrl, prefix },
        log: { driver: 'streams', url: redisUrl, prefix },
      },
    },
    streams: { default: 'log' },
    outbox: { pool, table: TABLE },
  });
}

/** The app's own table: one row per order. */
export const CREATE_ORDERS =
  'CREATE TABLE IF NOT EXISTS bench_orders (id text PRIMARY KEY, email text NOT NULL, total integer NOT NULL, placed_at timestamptz NOT NULL)';

/** The INSERT every transaction case runs. */
export const INSERT_ORDER = 'INSERT INTO bench_orders (id, email, total, placed_at) VALUES ($1, $2, $3, $4)';

/** The parameters of order `seq` (a unique id per run, so cases never collide). */
export function orderParams(run: string, seq: number): [string, string, number, Date] {
  return [`o-${run}-${seq}`, `customer-${seq}@example.com`, 100 + (seq % 900), new Date()];
}

/** Empties the orders and outbox tables (between cases, untimed). */
export async function truncate(pool: pg.Pool): Promise<void> {
  await pool.query(`TRUNCATE bench_orders, ${TABLE}`);
}

/** Rows waiting in the outbox. */
export async function outboxRows(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${TABLE}`);
  return Number(rows[0]?.n ?? 0);
}
