import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../support/redis-url.js';
import { collect, JITI_BIN, REPO_ROOT } from '../support/temp-project.js';

function withoutRedisUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { REDIS_URL: _ignored, ...rest } = env;
  return rest;
}

/** Runs the playground exactly as `npm run playground` does (after its build step). */
function runPlayground(env: Record<string, string>) {
  const child = spawn(process.execPath, [JITI_BIN, 'playground/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...withoutRedisUrl(process.env), NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child, 60_000);
}

function expectTheAccount(stdout: string): void {
  expect(stdout).toMatch(/POST \/orders .* → 201/);
  expect(stdout).toMatch(/POST \/orders .*teapot.* → 409 \{"error":"only 2 teapot left"\}/);
  expect(stdout).toContain('GET /stock → 200 {"kettle":3,"teapot":2}');
  expect(stdout).toMatch(/UserActivitySubscriber\.onLogin\s+alice@example\.com signed in/);
  expect(stdout).toMatch(/SendOrderConfirmation\s+emailed alice@example\.com/);
  expect(stdout).toMatch(/SyncToCrm\s+attempt 1\/3 .*CRM timed out/);
  expect(stdout).toMatch(/SyncToCrm\s+attempt 2\/3 .*synced/);
  expect(stdout).toMatch(
    /NotifyWarehouse\s+failed\(\) for o-1 after every attempt: warehouse API returned 503/,
  );
  // o-1 is the shipped order; placed orders have random ids (o-1f3a… would match a bare "o-1").
  expect(stdout.match(/NotifyWarehouse\s+failed\(\) for o-1 /g)).toHaveLength(1);
  expect(stdout).toMatch(/AuditTrail\s+orders\.placed o-/);
  expect(stdout).toMatch(/AuditTrail\s+orders\.shipped o-1/);
  // The refused order ran nothing after the stock listener: no email, no audit line for bob.
  expect(stdout).not.toContain('bob@example.com |');
  expect(stdout).toContain('NotifyWarehouse on orders.shipped: warehouse API returned 503 after 2 attempts');
}

describe('the playground (npm run playground)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function files(): Record<string, string> {
    const dir = mkdtempSync(join(tmpdir(), 'herald-playground-'));
    dirs.push(dir);
    return {
      PLAYGROUND_ACTIVITY_FILE: join(dir, 'activity.jsonl'),
      PLAYGROUND_OUTBOX_FILE: join(dir, 'outbox.txt'),
    };
  }

  it('with no Redis, runs on the memory queue, prints the account and exits 0', async () => {
    const result = await runPlayground(files());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('queued listeners on "memory"');
    expectTheAccount(result.stdout);
    expect(result.stdout).not.toContain('(worker process)');
    // Billing reads the orders stream on Redis only: said in one line, never skipped silently.
    expect(result.stdout).toContain(
      'Billing (playground/billing) is a second service that reads the orders stream on Redis, in its own process: see it with REDIS_URL=redis://127.0.0.1:6379 npm run playground',
    );
    expect(result.stdout).not.toContain('(billing process)');
  });

  it('with REDIS_URL, runs queued listeners in a herald queue:work process and prints the same account', async () => {
    const result = await runPlayground({ ...files(), REDIS_URL: testRedisUrl() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('queued listeners on "redis"');
    expectTheAccount(result.stdout);
    expect(result.stdout).toMatch(/SendOrderConfirmation\s+emailed .*\(worker process\)/);
  });
});
