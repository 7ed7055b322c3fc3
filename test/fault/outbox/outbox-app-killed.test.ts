import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOutboxProject,
  OUTBOX_PROJECT_LISTENERS,
  relayLater,
} from '../../cli/support/outbox-project.js';
import { collect, JITI_BIN, REPO_ROOT, type TempProject } from '../../support/temp-project.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * The app commits a transaction whose dispatches became outbox rows, then is SIGKILLed before any
 * relay ran: nothing was pushed, and nothing is lost. A relay started afterwards delivers every
 * committed dispatch once.
 */
const COMMIT_THEN_HANG = `
import pg from 'pg';
import { createHerald } from 'herald';
import { runInTransaction, TransactionScope } from '${join(REPO_ROOT, 'dist', 'transactions', 'transaction-scope.js')}';
import config from './herald.config.ts';
import { Order } from './src/listeners/order.ts';

const herald = await createHerald(config, { cwd: process.cwd() });
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
await client.query('BEGIN');
await runInTransaction(new TransactionScope({ query: (text, params) => client.query(text, params as unknown[]) }), async () => {
  for (let i = 0; i < 20; i++) await herald.dispatch(new Order('k-' + i));
});
await client.query('COMMIT');
process.stdout.write('committed\\n');
setInterval(() => {}, 1000);
`;

describe('fault: the app is SIGKILLed right after committing outbox rows', () => {
  let project: TempProject;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ project, env } = await createOutboxProject('outbox-kill', {
      files: { 'src/listeners/order.ts': OUTBOX_PROJECT_LISTENERS, 'commit.ts': COMMIT_THEN_HANG },
      linkPg: true,
    }));
  });
  afterAll(() => project?.remove());

  it('delivers every committed dispatch once when a relay starts later', async () => {
    expect((await project.herald(['outbox:install'], { env })).code).toBe(0);
    const app = spawn(process.execPath, [JITI_BIN, 'commit.ts'], {
      cwd: project.dir,
      env: { ...process.env, ...env, NO_COLOR: '1' },
    });
    let stdout = '';
    app.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = collect(app);
    await waitFor('the app to commit', () => stdout.includes('committed'), { timeoutMs: 30_000 });
    app.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');

    const queue = new Queue('default', { connection: { url: env.TEST_REDIS_URL }, prefix: env.TEST_PREFIX });
    try {
      expect(await queue.count()).toBe(0);
      const jobs = await relayLater({ project, env }, queue, 20);
      const ids = jobs.map((job) => JSON.stringify(job.data.payload).match(/"(k-\d+)"/)?.[1]);
      expect(new Set(ids).size).toBe(20);
      expect(ids).toHaveLength(20);
    } finally {
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
  }, 90_000);
});
