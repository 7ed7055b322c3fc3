import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createHerald, Event, type Herald, type HeraldConfig, Listener } from '../../../../src/index.js';
import { createTestDatabase } from '../../../support/postgres-database.js';
import { testRedisUrl, uniqueQueueName } from '../../../support/redis-url.js';

/** An order whose queued listener (ShipOrder) goes to the bullmq connection `redis`. */
@Event('outbox.order-placed')
export class OrderPlaced {
  constructor(readonly id: string) {}
}

/** An event appended to the stream `ledger` of the streams connection `log`. */
@Event('outbox.ledger-entry', { stream: 'ledger' })
export class LedgerEntry {
  constructor(readonly id: string) {}
}

/** An event whose queued listener runs on the in-process `memory` connection. */
@Event('outbox.note-taken')
export class NoteTaken {
  constructor(readonly id: string) {}
}

@Listener(OrderPlaced, { queue: true, connection: 'redis' })
export class ShipOrder {
  static readonly handled: string[] = [];
  handle(event: OrderPlaced): void {
    ShipOrder.handled.push(event.id);
  }
}

@Listener(NoteTaken, { queue: true, connection: 'memory' })
export class FileNote {
  static readonly handled: string[] = [];
  handle(event: NoteTaken): void {
    FileNote.handled.push(event.id);
  }
}

/** One test file's database, Redis prefix and apps, cleaned up after each test. */
export interface OutboxEnv {
  databaseUrl: string;
  prefix: string;
  /** A client for opening transactions by hand and reading the outbox table. */
  client: pg.Client;
  redis: Redis;
  readonly apps: Herald[];
  /** Boots an app with the outbox on this file's database. */
  boot(extra?: Partial<HeraldConfig>): Promise<Herald>;
  /** The `OrderPlaced` ids of the jobs in the bullmq queue `default`, in any state. */
  jobIds(): Promise<string[]>;
  /** The ids in the `ledger` stream's entries. */
  ledgerIds(): Promise<string[]>;
  /** Rows in the outbox table. */
  rows(): Promise<number>;
}

/** Sets up {@link OutboxEnv} with vitest hooks: a database per file, a Redis prefix per test. */
export function useOutboxEnv(): OutboxEnv {
  const queues: Queue[] = [];
  const env: OutboxEnv = {
    databaseUrl: '',
    prefix: uniqueQueueName('outbox'),
    client: undefined as unknown as pg.Client,
    redis: undefined as unknown as Redis,
    apps: [],
    async boot(extra = {}) {
      const app = await createHerald({
        listeners: [ShipOrder, FileNote],
        events: [LedgerEntry],
        queue: {
          connections: {
            redis: { driver: 'bullmq', url: testRedisUrl(), prefix: env.prefix },
            log: { driver: 'streams', url: testRedisUrl(), prefix: env.prefix },
          },
        },
        streams: { default: 'log' },
        outbox: { url: env.databaseUrl, pollInterval: 200 },
        ...extra,
      });
      env.apps.push(app);
      return app;
    },
    async jobIds() {
      const queue = new Queue('default', { connection: { url: testRedisUrl() }, prefix: env.prefix });
      queues.push(queue);
      const jobs = await queue.getJobs([
        'waiting',
        'delayed',
        'prioritized',
        'active',
        'completed',
        'failed',
      ]);
      return jobs.map((job) => JSON.stringify(job.data.payload).match(/"(o-\d+)"/)?.[1] ?? '?');
    },
    async ledgerIds() {
      const entries = await env.redis.xrange(`${env.prefix}:ledger:0`, '-', '+');
      return entries.map(
        ([, fields]) => fields[fields.indexOf('payload') + 1]?.match(/"(l-\d+)"/)?.[1] ?? '?',
      );
    },
    async rows() {
      const { rows } = await env.client.query<{ n: string }>('SELECT count(*) AS n FROM herald_outbox');
      return Number(rows[0]?.n);
    },
  };
  beforeAll(async () => {
    env.databaseUrl = await createTestDatabase('outbox');
    env.client = new pg.Client({ connectionString: env.databaseUrl });
    await env.client.connect();
    env.redis = new Redis(testRedisUrl());
    // The table, as `herald outbox:install` makes it.
    const app = await env.boot();
    await app.outbox?.install();
    await app.close();
    env.apps.length = 0;
  });
  afterEach(async () => {
    await Promise.all(env.apps.splice(0).map((app) => app.close()));
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
    await env.client.query('DELETE FROM herald_outbox');
    env.prefix = uniqueQueueName('outbox');
  });
  afterAll(async () => {
    await env.client.end();
    env.redis.disconnect();
  });
  return env;
}
