import type { OutboxPool } from '../config/config-types.js';
import type { ValidatedOutboxConfig } from '../config/validate-outbox.js';
import type { QueueDriver } from '../queue/driver.js';
import { loadPg } from './load-pg.js';
import { OutboxNotifier } from './outbox-notifier.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
import { installScript, type OutboxStatements, outboxStatements } from './outbox-sql.js';
import { OutboxWriter, withInstallHint } from './outbox-writer.js';

/** Rows waiting in the outbox (`herald outbox:status`). */
export interface OutboxStatus {
  /** The outbox table. */
  readonly table: string;
  /** Committed rows no relay has moved yet. */
  readonly waiting: number;
  /** Age of the oldest waiting row in seconds; undefined when none waits. */
  readonly oldestAgeSeconds: number | undefined;
}

/**
 * The app's transactional outbox (`herald.outbox`, present when the config has `outbox`):
 * relays, status and the table's installation. The pool is made from `url` on first use
 * (node-postgres loaded then); a `pool` from the config is used as it is and never ended.
 *
 * @example
 * const relay = await herald.outbox?.relay();   // moves committed rows until relay.close()
 * console.log(await herald.outbox?.status());   // { table, waiting, oldestAgeSeconds }
 */
export class HeraldOutbox {
  /** Writes rows inside transactions (the QueueBridge's outbox sink). */
  readonly writer: OutboxWriter;
  readonly #config: ValidatedOutboxConfig;
  readonly #statements: OutboxStatements;
  readonly #driver: (connection: string) => QueueDriver;
  readonly #relays = new Set<OutboxRelay>();
  readonly #notifier: OutboxNotifier;
  #pool: Promise<OutboxPool & { end?(): Promise<void> }> | undefined;
  #closing: Promise<void> | undefined;

  /** @internal Made by createHerald. */
  constructor(config: ValidatedOutboxConfig, driver: (connection: string) => QueueDriver) {
    this.#config = config;
    this.#statements = outboxStatements(config.table);
    this.#driver = driver;
    this.#notifier = new OutboxNotifier(() => this.#connect(), this.#statements.channel);
    this.writer = new OutboxWriter(this.#statements, () => this.#notifier.notify());
  }

  /** The outbox table's name. */
  get table(): string {
    return this.#config.table;
  }

  #connect(): Promise<OutboxPool> {
    const { pool, url } = this.#config;
    this.#pool ??=
      pool !== undefined
        ? Promise.resolve(pool)
        : loadPg().then((pg) => {
            // A bounded connect: a relay whose database is unreachable reports it and tries again.
            const made = new pg.Pool({ connectionString: url as string, connectionTimeoutMillis: 10_000 });
            // An idle connection that dies (PostgreSQL restarted) is an 'error' on the pool, which
            // would crash the process unheard; the pool drops it, and the next query reconnects.
            made.on('error', () => {});
            return made;
          });
    return this.#pool;
  }

  /** The statements `install()` runs, as a script a migration can copy (`outbox:install --sql`). */
  installSql(): string {
    return installScript(this.#statements);
  }

  /** Creates the table (and its schema) when missing; safe to run again. */
  async install(): Promise<void> {
    const pool = await this.#connect();
    for (const statement of this.#statements.install) await pool.query(statement);
  }

  /** How many rows wait and how old the oldest is. */
  async status(): Promise<OutboxStatus> {
    const pool = await this.#connect();
    const { rows } = await pool.query(this.#statements.status).catch((error: unknown) => {
      throw withInstallHint(error, this.#config.table);
    });
    const row = rows[0] as { waiting: string | number; oldest: number | null } | undefined;
    const waiting = Number(row?.waiting ?? 0);
    return {
      table: this.#config.table,
      waiting,
      oldestAgeSeconds: waiting === 0 || row?.oldest == null ? undefined : Number(row.oldest),
    };
  }

  /** Whether any committed row waits (a stop-when-empty worker keeps going while one does). */
  async hasWaiting(): Promise<boolean> {
    const pool = await this.#connect();
    const { rows } = await pool.query(this.#statements.any);
    return rows.length > 0;
  }

  /**
   * Starts a relay: moves committed rows to their queues, woken by NOTIFY and polling as the
   * fallback, until its `close()` (or the app's). Several relays may run side by side.
   */
  async relay(options: OutboxRelayOptions = {}): Promise<OutboxRelay> {
    const relay = new OutboxRelay(
      {
        statements: this.#statements,
        pool: await this.#connect(),
        driver: this.#driver,
        pollInterval: this.#config.pollInterval,
      },
      options,
    );
    this.#relays.add(relay);
    await relay.start();
    return relay;
  }

  /** Stops the relays and ends the pool herald made (not yours); idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#relays].map((relay) => relay.close()));
      await this.#notifier.close();
      if (this.#config.pool === undefined && this.#pool !== undefined) {
        const pool = await this.#pool.catch(() => undefined);
        await pool?.end?.();
      }
    })();
    return this.#closing;
  }
}
