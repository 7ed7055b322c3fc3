import type { OutboxPool, OutboxPoolClient } from '../config/config-types.js';
import { HeraldError } from '../errors.js';
import type { QueueDriver } from '../queue/driver.js';
import type { QueuedJob } from '../queue/job/queued-job.js';
import type { OutboxStatements } from './outbox-sql.js';
import { OutboxWakeup } from './outbox-wakeup.js';
import { withInstallHint } from './outbox-writer.js';

/**
 * Rows one claim takes when the options do not say. With two batches in flight, 500 keeps about
 * as many pushes going as BullMQ needs to be busy (`npm run bench:outbox`: 100 reached ~0.65x of
 * raw `Queue.add`, 500 ~0.85x).
 */
export const DEFAULT_RELAY_BATCH = 500;

/** Batches one relay keeps going at once: one claiming or deleting while the other pushes. */
const IN_FLIGHT = 2;

/** Options of a relay (`herald.outbox.relay()`, `herald outbox:relay`). */
export interface OutboxRelayOptions {
  /** Rows claimed per transaction, a positive integer; default 500. */
  readonly batchSize?: number;
  /** Poll interval (ms) when no notification arrives; default: the config's `pollInterval`. */
  readonly pollInterval?: number;
  /** Called with errors the relay survives (database or queue down, a row it could not push). */
  readonly onError?: (error: Error) => void;
  /** Called after each batch that moved rows, with how many. */
  readonly onRelayed?: (rows: number) => void;
}

/** One claimed row. */
interface OutboxRow {
  readonly id: string;
  readonly connection: string;
  readonly job: QueuedJob;
}

/** What a relay needs of the app: the statements, a pool, the drivers. */
export interface OutboxRelayParts {
  readonly statements: OutboxStatements;
  readonly pool: OutboxPool;
  readonly driver: (connection: string) => QueueDriver;
  readonly pollInterval: number;
}

/**
 * Moves committed outbox rows to their queue or stream. Each batch is one short transaction:
 * claim the oldest rows with `FOR UPDATE SKIP LOCKED` (so relays side by side take different
 * rows), push each with `pushOnce` under an id derived from the row (`<table>-<id>`), delete the
 * pushed rows, commit. A relay that dies after a push and before the commit leaves its rows to
 * the next relay, whose `pushOnce` of the same id adds nothing: no duplicate
 * (test/integration/outbox/outbox-relay-crash.test.ts). A row whose push failed stays for the
 * next round. After the commit the push markers are let go: they expire after a grace period
 * (src/queue/redis/once-marker.ts), so a late push of the same row still finds one.
 *
 * One case the markers do not fully cover: a relay whose PostgreSQL session ends while its batch
 * pushes (PostgreSQL restarted, its backend killed) loses its row locks but not the pushes it
 * already sent. Another relay may claim those rows and push them too. The second push is a no-op
 * when it sees the first one's marker, or (bullmq) when the first one's job still exists under
 * the same job id. A duplicate needs either a push landing more than the grace period after the
 * other relay's commit, or (bullmq, whose marker check and store are one round trip apart, not
 * one script) one push checking for the marker before the other stored its job and storing its
 * own only after that job was run and removed by retention. README "Outbox" says the same.
 */
export class OutboxRelay {
  readonly #parts: OutboxRelayParts;
  readonly #batchSize: number;
  readonly #pollInterval: number;
  readonly #onError: (error: Error) => void;
  readonly #onRelayed: ((rows: number) => void) | undefined;
  readonly #wakeup: OutboxWakeup;
  #relayed = 0;
  #closing = false;
  #loop: Promise<void> | undefined;

  constructor(parts: OutboxRelayParts, options: OutboxRelayOptions = {}) {
    this.#parts = parts;
    this.#batchSize = options.batchSize ?? DEFAULT_RELAY_BATCH;
    if (!Number.isSafeInteger(this.#batchSize) || this.#batchSize < 1)
      throw new HeraldError(
        'invalid_argument',
        `Outbox relay batchSize ${String(options.batchSize)} is not a positive integer: pass the rows one batch claims (e.g. ${DEFAULT_RELAY_BATCH}), or leave it out.`,
      );
    this.#pollInterval = options.pollInterval ?? parts.pollInterval;
    this.#onError = options.onError ?? (() => {});
    this.#onRelayed = options.onRelayed;
    this.#wakeup = new OutboxWakeup(parts.pool, parts.statements.channel, this.#onError);
  }

  /** Rows this relay moved so far. */
  get relayed(): number {
    return this.#relayed;
  }

  /** Starts listening and relaying until {@link close}; resolves once listening (or polling). */
  async start(): Promise<void> {
    if (this.#loop !== undefined) return;
    await this.#wakeup.start();
    this.#loop = this.#run();
  }

  /**
   * Keeps up to {@link IN_FLIGHT} batches going: once a batch has claimed a full batch, the next
   * one claims (on another connection; SKIP LOCKED keeps their rows apart) while it pushes, so
   * PostgreSQL's round trips overlap Redis's instead of adding to them.
   */
  async #run(): Promise<void> {
    const running = new Set<Promise<void>>();
    // Set when a batch came back short (drained table, failed pushes, an error): sleep then.
    let idle = false;
    while (!this.#closing) {
      const batch = this.#batch();
      const settled = batch.done.then(
        (moved) => {
          if (moved < this.#batchSize) idle = true;
        },
        (error: unknown) => {
          idle = true;
          this.#onError(asError(error));
        },
      );
      running.add(settled);
      void settled.finally(() => running.delete(settled));
      if ((await batch.claimed) < this.#batchSize) idle = true;
      else if (running.size >= IN_FLIGHT) await Promise.race(running);
      if (idle) {
        // Let the batches end, then wait for a notification or the poll interval.
        await Promise.all(running);
        idle = false;
        await this.#wakeup.wait(this.#pollInterval);
      }
    }
    await Promise.all(running);
  }

  /** Claims, pushes and deletes one batch; resolves with the rows moved. */
  relayBatch(): Promise<number> {
    return this.#batch().done;
  }

  /**
   * One batch: `claimed` resolves with the rows it claimed (0 when the claim failed: `done`
   * rejects then), `done` with the rows it moved.
   */
  #batch(): { claimed: Promise<number>; done: Promise<number> } {
    let claimed: (rows: number) => void = () => {};
    const claim = new Promise<number>((resolve) => (claimed = resolve));
    const done = this.#relay(claimed);
    void done.catch(() => claimed(0));
    return { claimed: claim, done };
  }

  async #relay(claimed: (rows: number) => void): Promise<number> {
    const { pool, statements } = this.#parts;
    const client = await pool.connect();
    let broken: Error | undefined;
    // The connection may die while the batch pushes to Redis (no query running): pg reports that
    // as an 'error' event, which unheard would crash the process. The next query then fails.
    const onLost = (error: Error) => {
      broken = error;
    };
    client.on('error', onLost);
    try {
      // BEGIN and the claim in one round trip, the DELETE and COMMIT in another (simple protocol).
      const claim = await client.query(statements.claimInTransaction(this.#batchSize));
      const claimedRows = lastRows(claim) as OutboxRow[];
      claimed(claimedRows.length);
      // Started in id order, each with its own outcome: one failing row does not hold the others.
      const outcomes = await Promise.allSettled(claimedRows.map((row) => this.#push(row)));
      const pushed = claimedRows.filter((_, index) => outcomes[index]?.status === 'fulfilled');
      await client.query(
        pushed.length > 0 ? statements.deleteAndCommit(pushed.map((row) => String(row.id))) : 'COMMIT',
      );
      this.#forget(pushed);
      this.#relayed += pushed.length;
      if (pushed.length > 0) this.#onRelayed?.(pushed.length);
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure !== undefined) this.#onError(asError(failure.reason));
      return pushed.length;
    } catch (error) {
      broken = asError(error);
      await rollback(client);
      throw withInstallHint(error, statements.table);
    } finally {
      client.removeListener('error', onLost);
      client.release(broken);
    }
  }

  async #push(row: OutboxRow): Promise<void> {
    const driver = this.#parts.driver(row.connection);
    const once = onceId(this.#parts.statements.table, row.id);
    return driver.pushOnce === undefined ? driver.push(row.job) : driver.pushOnce(row.job, once);
  }

  /** Lets the push markers of deleted rows expire after the grace period; best effort. */
  #forget(rows: readonly OutboxRow[]): void {
    for (const row of rows) {
      const driver = this.#parts.driver(row.connection);
      driver.forgetOnce?.(row.job, onceId(this.#parts.statements.table, row.id)).catch(() => {});
    }
  }

  /** Stops after the batch in flight (its rows are deleted or left for another relay); idempotent. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#wakeup.close();
    await this.#loop;
  }
}

/** The push-once id of a row: the table and the row's id (a BullMQ job id `outbox-<this>`). */
function onceId(table: string, id: string): string {
  return `${table}-${id}`;
}

/** The rows of a multi-statement simple query's last result (pg answers such a query with an array). */
function lastRows(result: unknown): unknown[] {
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return (last as { rows?: unknown[] } | undefined)?.rows ?? [];
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

async function rollback(client: OutboxPoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // The connection is gone: PostgreSQL rolled the transaction back itself.
  }
}
