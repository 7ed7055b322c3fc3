// The playground with DATABASE_URL: orders are saved in PostgreSQL, each inside
// transaction(herald, pool, ...) with OrderPlaced dispatched inside, and one scripted order rolls
// back after its insert and its dispatch. Runs the real playground (npm run playground) on a
// database of its own on the suite's PostgreSQL.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/postgres-database.js';
import { type RedisServerHandle, startRedisServer } from '../support/redis-server.js';
import { collect, JITI_BIN, REPO_ROOT } from '../support/temp-project.js';

interface Activity {
  readonly pid: number;
  readonly who: string;
  readonly what: string;
}

interface Run {
  readonly stdout: string;
  readonly activities: Activity[];
  /** The confirmation emails the playground "sent" (its pretend mail outbox). */
  readonly emails: string[];
  /** Ids of the orders the API answered 201 for, and of the one that rolled back. */
  readonly placed: string[];
  readonly rolledBack: string;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the playground as `npm run playground` does, with `env` on top of a clean environment. */
async function runPlayground(env: Record<string, string>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-playground-db-'));
  dirs.push(dir);
  const files = {
    PLAYGROUND_ACTIVITY_FILE: join(dir, 'activity.jsonl'),
    PLAYGROUND_OUTBOX_FILE: join(dir, 'outbox.txt'),
  };
  const { REDIS_URL: _redis, DATABASE_URL: _database, ...rest } = process.env;
  const child = spawn(process.execPath, [JITI_BIN, 'playground/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...rest, NO_COLOR: '1', ...files, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = await collect(child, 90_000);
  expect(result.code, result.stderr).toBe(0);
  const read = (path: string) =>
    existsSync(path)
      ? readFileSync(path, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
      : [];
  const rolledBack = /→ 402 \{"error":"payment declined: order (o-\w+) rolled back"\}/.exec(
    result.stdout,
  )?.[1];
  expect(rolledBack, result.stdout).toBeDefined();
  return {
    stdout: result.stdout,
    activities: read(files.PLAYGROUND_ACTIVITY_FILE).map((line) => JSON.parse(line) as Activity),
    emails: read(files.PLAYGROUND_OUTBOX_FILE),
    placed: [...result.stdout.matchAll(/→ 201 \{"orderId":"(o-\w+)"\}/g)].map((match) => match[1] as string),
    rolledBack: rolledBack as string,
  };
}

async function committedOrderIds(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>('SELECT id FROM playground_orders ORDER BY id');
    return rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

/** What both runs must show: the committed orders emailed and saved, the rolled-back one neither. */
async function expectCommittedAndRolledBack(run: Run, databaseUrl: string): Promise<void> {
  expect(run.stdout).toContain('orders saved in PostgreSQL');
  // alice's and carol's orders committed; bob's was refused by the stock listener (rolled back too).
  expect(run.placed).toHaveLength(2);
  const [alice, carol] = run.placed as [string, string];
  expect((await committedOrderIds(databaseUrl)).sort()).toEqual([alice, carol].sort());
  const emailed = (orderId: string) =>
    run.activities.filter((a) => a.who === 'SendOrderConfirmation' && a.what.includes(orderId));
  expect(emailed(alice)).toHaveLength(1);
  expect(emailed(carol)).toHaveLength(1);
  expect(run.emails.filter((line) => line.includes(alice))).toHaveLength(1);
  // The rolled-back order: saved and dispatched inside its transaction, and then nothing.
  expect(emailed(run.rolledBack)).toEqual([]);
  expect(run.emails.join('\n')).not.toContain('dave@example.com');
  const after = run.activities.filter((a) => a.what.includes(run.rolledBack) && a.who !== 'ReserveStock');
  expect(after).toEqual([]);
  expect(run.stdout).toMatch(
    new RegExp(`${run.rolledBack}\\s+dave@example\\.com: confirmation emails sent 0`),
  );
}

describe('the playground with DATABASE_URL (orders in PostgreSQL, placed in transactions)', () => {
  let redis: RedisServerHandle | undefined;
  afterAll(async () => {
    await redis?.stop();
  });

  it('on the memory queue: the committed orders are emailed, the rolled-back order is not', async () => {
    const databaseUrl = await createTestDatabase('playground');
    const run = await runPlayground({ DATABASE_URL: databaseUrl });
    expect(run.stdout).toContain('queued listeners on "memory"');
    await expectCommittedAndRolledBack(run, databaseUrl);
  }, 120_000);

  it('with REDIS_URL: jobs go through the outbox, the worker relays the committed ones only', async () => {
    // A private Redis: the playground's keys (prefix herald-playground) are shared by its runs.
    redis = await startRedisServer();
    const databaseUrl = await createTestDatabase('playground');
    const run = await runPlayground({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url });
    expect(run.stdout).toContain('queued listeners on "redis"');
    await expectCommittedAndRolledBack(run, databaseUrl);
    expect(run.stdout).toMatch(/SendOrderConfirmation\s+emailed alice@example\.com .*\(worker process\)/);
    // Billing read the orders stream (its entries came through the outbox): alice's order only.
    const invoices = run.activities.filter((a) => a.who === 'IssueInvoice');
    expect(invoices.some((a) => a.what.includes(run.placed[0] as string))).toBe(true);
    expect(invoices.some((a) => a.what.includes(run.rolledBack))).toBe(false);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM herald_outbox');
      expect(Number(rows[0]?.n)).toBe(0);
    } finally {
      await client.end();
    }
  }, 120_000);
});
