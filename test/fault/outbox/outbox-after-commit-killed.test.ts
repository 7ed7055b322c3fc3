import { spawn } from 'node:child_process';
import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxProject, relayLater } from '../../cli/support/outbox-project.js';
import { collect, JITI_BIN, type TempProject } from '../../support/temp-project.js';

/**
 * A crash between COMMIT and the pushes held for it. The first work held until the commit is a
 * sync afterCommit listener that SIGKILLs its own process: the exact moment after the COMMIT and
 * before any other held task ran. Pushes held in memory die with the process; with an outbox the
 * afterCommit listeners' jobs (and an afterCommit event's) were rows of the committed
 * transaction, and a relay started afterwards delivers each once.
 */
const LISTENERS = `
import { Event, Listener } from 'herald';

@Event('fault-ac.crash')
export class Crash {}

@Listener(Crash, { afterCommit: true, name: 'CrashNow' })
export class CrashNow {
  handle(): void {
    process.stdout.write('committed\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}

@Event('fault-ac.order')
export class Order { constructor(readonly id: string) {} }

@Listener(Order, { queue: true, afterCommit: true, name: 'Ship' })
export class Ship { handle(): void {} }

@Event('fault-ac.closed', { afterCommit: true })
export class Closed { constructor(readonly id: string) {} }

@Listener(Closed, { queue: true, name: 'Archive' })
export class Archive { handle(): void {} }
`;

const COMMIT_THEN_CRASH = `
import pg from 'pg';
import { createHerald } from 'herald';
import { transaction } from 'herald/pg';
import config from './herald.config.ts';
import { Closed, Crash, Order } from './src/listeners/after-commit.ts';

const herald = await createHerald(config, { cwd: process.cwd() });
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
await transaction(herald, pool, async (client) => {
  await client.query('INSERT INTO orders (id) VALUES ($1)', ['o-1']);
  await herald.dispatch(new Crash());
  for (let i = 0; i < 10; i++) await herald.dispatch(new Order('k-' + i));
  for (let i = 0; i < 10; i++) await herald.dispatch(new Closed('c-' + i));
});
process.stdout.write('survived\\n');
`;

describe('fault: the app is SIGKILLed after COMMIT, before its afterCommit work ran', () => {
  let project: TempProject;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ project, env } = await createOutboxProject('outbox-ac-kill', {
      files: { 'src/listeners/after-commit.ts': LISTENERS, 'commit.ts': COMMIT_THEN_CRASH },
      linkPg: true,
    }));
  });
  afterAll(() => project?.remove());

  it('delivers the afterCommit listeners’ and the afterCommit event’s jobs once when a relay starts later', async () => {
    expect((await project.herald(['outbox:install'], { env })).code).toBe(0);
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const queue = new Queue('default', { connection: { url: env.TEST_REDIS_URL }, prefix: env.TEST_PREFIX });
    try {
      await db.query('CREATE TABLE orders (id text PRIMARY KEY)');
      const app = spawn(process.execPath, [JITI_BIN, 'commit.ts'], {
        cwd: project.dir,
        env: { ...process.env, ...env, NO_COLOR: '1' },
      });
      const exited = await collect(app);
      expect(exited.signal).toBe('SIGKILL');
      expect(exited.stdout).toContain('committed');
      expect(exited.stdout).not.toContain('survived');
      // The transaction committed, and the app pushed nothing before it died.
      expect((await db.query('SELECT id FROM orders')).rows).toEqual([{ id: 'o-1' }]);
      expect(await queue.count()).toBe(0);
      const jobs = await relayLater({ project, env }, queue, 20);
      const names = jobs.map(
        (job) => `${job.data.listener}:${JSON.stringify(job.data.payload).match(/"([kc]-\d+)"/)?.[1]}`,
      );
      expect(new Set(names).size).toBe(20);
      expect(names.filter((name) => name.startsWith('Ship:k-'))).toHaveLength(10);
      expect(names.filter((name) => name.startsWith('Archive:c-'))).toHaveLength(10);
    } finally {
      await db.end();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
  }, 90_000);
});
