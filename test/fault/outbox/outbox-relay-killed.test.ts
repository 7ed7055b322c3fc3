import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHerald } from '../../../src/index.js';
import { createOutboxProject, ProjectOrder, ProjectShip } from '../../cli/support/outbox-project.js';
import { testRedisUrl } from '../../support/redis-url.js';
import { collect, type TempProject } from '../../support/temp-project.js';
import { inTransaction } from '../../support/transaction.js';
import { waitFor } from '../../support/wait-for.js';

const ROWS = 3000;
/** Kills tried before giving up on catching a batch between its pushes and its delete. */
const ATTEMPTS = 5;

/**
 * A real `herald outbox:relay` SIGKILLed while it moves 3,000 rows (batches of 100: the pushes of
 * a batch all go out, then one DELETE, then COMMIT), then another relay finishes. Rows whose job
 * is in Redis but which are still in the table at the kill are the ones pushed and not deleted:
 * the test requires at least one (killing again later when a kill landed between batches), so
 * the crash path is exercised, and every row must end up as exactly one job.
 */
describe('fault: an outbox relay SIGKILLed between its pushes and its delete', () => {
  let project: TempProject;
  let env: Record<string, string>;
  let db: pg.Client;

  beforeAll(async () => {
    ({ project, env } = await createOutboxProject('outbox-relay-kill'));
    db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    project?.remove();
  });

  /** The ids of the rows still in the outbox whose job BullMQ already holds. */
  async function pushedNotDeleted(queue: Queue): Promise<number> {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM herald_outbox');
    let count = 0;
    for (const row of rows) if ((await queue.getJob(`outbox-herald_outbox-${row.id}`)) !== undefined) count++;
    return count;
  }

  async function killWhen(queue: Queue, relay: ChildProcess, atLeast: number): Promise<void> {
    const exited = collect(relay);
    await waitFor(`the relay to push ${atLeast} jobs`, async () => (await queue.count()) >= atLeast, {
      timeoutMs: 60_000,
      intervalMs: 5,
    });
    relay.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    // PostgreSQL rolls the dead relay's batch back once it sees the connection closed.
    await waitFor('the killed relay’s transaction to end', async () => {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`,
      );
      return Number(rows[0]?.n) === 0;
    });
  }

  it('every row becomes exactly one job after another relay takes over', async () => {
    expect((await project.herald(['outbox:install'], { env })).code).toBe(0);
    const app = await createHerald({
      listeners: [ProjectShip],
      queue: {
        default: 'redis',
        connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix: env.TEST_PREFIX } },
      },
      outbox: { url: env.DATABASE_URL },
    });
    const queue = new Queue('default', { connection: { url: env.TEST_REDIS_URL }, prefix: env.TEST_PREFIX });
    try {
      for (let start = 0; start < ROWS; start += 500) {
        await inTransaction(db, async () => {
          for (let n = start; n < start + 500; n++) await app.dispatch(new ProjectOrder(`r-${n}`));
        });
      }
      let inFlight = 0;
      for (let attempt = 1; attempt <= ATTEMPTS && inFlight === 0; attempt++) {
        // Each attempt kills later in the run: a kill between two batches catches nothing.
        const before = await queue.count();
        await killWhen(queue, project.spawnHerald(['outbox:relay'], { env }), before + 150 + attempt * 37);
        inFlight = await pushedNotDeleted(queue);
        const waiting = Number((await db.query('SELECT count(*) AS n FROM herald_outbox')).rows[0].n);
        // Jobs in Redis = rows deleted + rows pushed but not deleted.
        expect(await queue.count()).toBe(ROWS - waiting + inFlight);
        console.log(`kill ${attempt}: ${waiting} rows left, ${inFlight} of them already pushed`);
      }
      expect(inFlight).toBeGreaterThan(0);

      const relay = project.spawnHerald(['outbox:relay'], { env });
      const relayed = collect(relay);
      await waitFor('the outbox to be empty', async () => (await app.outbox?.status())?.waiting === 0, {
        timeoutMs: 60_000,
      });
      relay.kill('SIGTERM');
      expect((await relayed).code).toBe(0);

      const jobs = await queue.getJobs(['waiting']);
      const ids = jobs.map((job) => JSON.stringify(job.data.payload).match(/"(r-\d+)"/)?.[1]);
      expect(ids).toHaveLength(ROWS);
      expect(new Set(ids).size).toBe(ROWS);
    } finally {
      await app.close();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
  }, 240_000);
});
