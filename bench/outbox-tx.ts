/**
 * Section 1 of bench/outbox.ts: what the outbox adds to a transaction. Every case saves one order
 * row per transaction, `CLIENTS` transactions at a time on a pool of that size; the cases differ
 * only in what else the transaction does.
 */
import type { Herald } from 'herald';
import { transaction } from 'herald/pg';
import type pg from 'pg';
import {
  INSERT_ORDER,
  OrderPlaced,
  orderParams,
  outboxRows,
  QUICK,
  setting,
  TABLE,
  truncate,
} from './outbox-shared.js';
import { count, median, printMarkdownTable, ratio, verdict } from './queue-table.js';

const N = setting('BENCH_TX_N', 4000, 500);
const ROUNDS = setting('BENCH_ROUNDS', 3, 1);
/** Transactions in flight at once (and the pool's size). */
export const CLIENTS = setting('BENCH_CLIENTS', 8, 8);

type TxKind = 'raw' | 'raw-row' | 'raw-row-quiet' | 'raw-row-commit' | 'herald' | 'herald-outbox';

const LABELS: Record<TxKind, string> = {
  raw: 'raw BEGIN / INSERT / COMMIT',
  'raw-row': 'raw, + a hand-written outbox row',
  'raw-row-quiet': 'raw, + the same row without pg_notify',
  'raw-row-commit': 'raw, + the same row sent with the COMMIT (as herald/pg does)',
  herald: 'transaction(herald, pool) + INSERT',
  'herald-outbox': 'transaction(herald, pool) + INSERT + dispatch (outbox row)',
};

/** One transaction of a kind, saving order `seq`. */
type Transact = (seq: number) => Promise<unknown>;

function transactOf(kind: TxKind, herald: Herald, pool: pg.Pool, run: string, rowJson: string): Transact {
  const raw = async (seq: number, extra: 'none' | 'row' | 'quiet' | 'commit') => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(INSERT_ORDER, orderParams(run, seq));
      // The statement herald's writer runs (outbox-sql.ts), with a job of the same size; 'quiet'
      // leaves out its NOTIFY, which makes PostgreSQL take a lock that commits queue behind.
      const notify = extra === 'row' ? `pg_notify('${TABLE}', '')` : '1';
      if (extra === 'commit') {
        // One simple-protocol round trip, as herald/pg's commit (no NOTIFY: herald sends it after).
        await client.query(
          `INSERT INTO ${TABLE} (connection, job) VALUES ('redis', ${client.escapeLiteral(rowJson)}); COMMIT`,
        );
        return;
      }
      if (extra !== 'none')
        await client.query(
          `WITH written AS (INSERT INTO ${TABLE} (connection, job) VALUES ($1, $2) RETURNING 1) SELECT ${notify} FROM written`,
          ['redis', rowJson],
        );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };
  switch (kind) {
    case 'raw':
      return (seq) => raw(seq, 'none');
    case 'raw-row':
      return (seq) => raw(seq, 'row');
    case 'raw-row-quiet':
      return (seq) => raw(seq, 'quiet');
    case 'raw-row-commit':
      return (seq) => raw(seq, 'commit');
    case 'herald':
      return (seq) =>
        transaction(herald, pool, (client) => client.query(INSERT_ORDER, orderParams(run, seq)));
    case 'herald-outbox':
      return (seq) =>
        transaction(herald, pool, async (client) => {
          const params = orderParams(run, seq);
          await client.query(INSERT_ORDER, params);
          await herald.dispatch(new OrderPlaced(...params));
        });
  }
}

/** Runs `n` transactions, `CLIENTS` at a time; resolves with transactions per second. */
async function runCase(transact: Transact, n: number): Promise<number> {
  let next = 0;
  const lane = async () => {
    while (next < n) await transact(next++);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, lane));
  return n / ((performance.now() - started) / 1000);
}

let runs = 0;

/** Prints section 1: transactions per second of each case, and the outbox's cost. */
export async function transactionsSection(herald: Herald, pool: pg.Pool): Promise<void> {
  const kinds: TxKind[] = ['raw', 'raw-row', 'raw-row-quiet', 'raw-row-commit', 'herald', 'herald-outbox'];
  // A job exactly as the writer stores it, for the hand-written row.
  await transactOf('herald-outbox', herald, pool, 'sample', '')(0);
  const { rows } = await pool.query<{ job: unknown }>(`SELECT job FROM ${TABLE} LIMIT 1`);
  const rowJson = JSON.stringify(rows[0]?.job ?? {});
  const rates = new Map<TxKind, number[]>(kinds.map((kind) => [kind, []]));
  const once = async (kind: TxKind, n: number) => {
    await truncate(pool);
    const rate = await runCase(transactOf(kind, herald, pool, `r${++runs}`, rowJson), n);
    if (kind !== 'raw' && kind !== 'herald') {
      const written = await outboxRows(pool);
      if (written !== n) throw new Error(`${kind}: ${written} outbox rows after ${n} transactions`);
    }
    return rate;
  };
  // Untimed: warms the pool's connections, PostgreSQL's caches and V8.
  for (const kind of kinds) await once(kind, Math.min(N, 500));
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...kinds.slice(round % kinds.length), ...kinds.slice(0, round % kinds.length)];
    for (const kind of order) rates.get(kind)?.push(await once(kind, N));
  }
  await truncate(pool);
  const of = (kind: TxKind) => rates.get(kind) ?? [];
  // Time per transaction of `kind` over `base`'s, round by round (runs seconds apart).
  const cost = (kind: TxKind, base: TxKind) =>
    median(of(kind).map((rate, round) => (of(base)[round] ?? Number.NaN) / rate));

  console.log(
    `\n### 1. Transactions/s, one order each: ${count(N)} transactions per case, ${CLIENTS} at a time (pool of ${CLIENTS}); median of ${ROUNDS} rounds${QUICK ? ' (quick)' : ''}\n`,
  );
  printMarkdownTable(
    ['case', 'transactions/s', 'ms per transaction', 'time vs raw', 'time vs transaction()', 'per round'],
    kinds.map((kind) => {
      const rate = median(of(kind));
      return [
        LABELS[kind],
        count(rate),
        ((1000 * CLIENTS) / rate).toFixed(2),
        ratio(cost(kind, 'raw')),
        ratio(cost(kind, 'herald')),
        of(kind)
          .map((value) => count(value))
          .join(' / '),
      ];
    }),
  );
  const outboxCost = cost('herald-outbox', 'herald');
  console.log('');
  printMarkdownTable(
    ['target', 'measured (median of paired rounds)', 'verdict'],
    [
      [
        'transaction() + dispatch to the outbox <= 1.3x the same transaction() without it',
        ratio(outboxCost),
        verdict(outboxCost <= 1.3),
      ],
    ],
  );
}
