import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener } from '../../src/index.js';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';
import {
  collect,
  createTempProject,
  HERALD_BIN,
  type RunResult,
  type TempProject,
} from '../support/temp-project.js';
import { redisProjectConfig } from './support/redis-project.js';

/**
 * `queue:clear`, `queue:restart` (without workers), `queue:failed --payload` and what the
 * operator commands say when Redis is down: the real binary, in a project outside the repo.
 */

const LISTENERS = `
import { Event, Listener } from 'herald';

@Event('admin.signup')
export class SignedUp {
  constructor(readonly email: string, readonly password: string, readonly card: { number: string; last4: string }, readonly bio: string) {}
}

@Listener(SignedUp, { queue: 'emails', name: 'Welcome' })
export class Welcome { handle(): void {} }

@Listener(SignedUp, { queue: 'crm', name: 'SyncCrm', delay: 60_000 })
export class SyncCrm { handle(): void {} }

@Listener(SignedUp, { queue: 'audit', name: 'Audit' })
export class Audit { handle(): void { throw new Error('audit service down'); } }
`;

// The project's wire names and routing, for dispatching from this process (it never runs them).
@Event('admin.signup')
class SignedUp {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly card: { number: string; last4: string },
    readonly bio: string,
  ) {}
}

@Listener(SignedUp, { queue: 'emails', name: 'Welcome' })
class Welcome {
  handle(): void {}
}

@Listener(SignedUp, { queue: 'crm', name: 'SyncCrm', delay: 60_000 })
class SyncCrm {
  handle(): void {}
}

@Listener(SignedUp, { queue: 'audit', name: 'Audit' })
class Audit {
  handle(): void {}
}

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

describe('herald queue:clear / queue:restart / queue:failed --payload (real binary, real Redis)', () => {
  let project: TempProject;
  let env: Record<string, string>;
  let prefix: string;
  let app: Herald;
  const queues: Queue[] = [];

  beforeAll(async () => {
    project = createTempProject('herald-queue-admin');
    project.write('src/listeners/signup.ts', LISTENERS);
    project.write('herald.config.ts', redisProjectConfig({ memory: true }));
    prefix = uniqueQueueName('admin');
    env = { TEST_REDIS_URL: testRedisUrl(), TEST_PREFIX: prefix };
    app = await createHerald({
      listeners: [Welcome, SyncCrm, Audit],
      queue: { default: 'redis', connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix } } },
    });
  });
  afterEach(async () => {
    await Promise.allSettled(queues.splice(0).map((queue) => queue.close()));
  });
  afterAll(async () => {
    await app?.close();
    project?.remove();
  });

  function counts(name: string): Promise<Record<string, number>> {
    const queue = new Queue(name, { connection: { url: testRedisUrl() }, prefix });
    queues.push(queue);
    return queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed');
  }

  const signup = (n: number) =>
    app.dispatch(
      new SignedUp(
        `user${n}@example.com`,
        'hunter2',
        { number: '4111111111111111', last4: '1111' },
        'b'.repeat(500),
      ),
    );

  it('queue:failed --payload shows the event with secrets masked and long text cut; --json only with --payload', async () => {
    await signup(1);
    const worked = await project.herald(['queue:work', '--queue', 'audit', '--stop-when-empty'], { env });
    expect(worked.code, worked.stderr).toBe(0);

    const human = await project.herald(['queue:failed', '--payload', '--redact', 'card.number,email'], {
      env,
    });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('audit service down');
    expect(human.stdout).toContain('    {');
    expect(human.stdout).toContain('"password": "[redacted]"');
    expect(human.stdout).toContain('"email": "[redacted]"');
    expect(human.stdout).toContain('"number": "[redacted]"');
    expect(human.stdout).toContain('"last4": "1111"');
    expect(human.stdout).toContain(`"bio": "${'b'.repeat(200)}… (300 more chars)"`);
    expect(human.stdout).not.toContain('hunter2');
    expect(human.stdout).not.toContain('4111111111111111');
    expect(human.stdout).not.toContain('user1@example.com');

    const plain = await project.herald(['queue:failed'], { env });
    expect(plain.stdout).not.toContain('"last4"');

    const json = JSON.parse(
      (await project.herald(['queue:failed', '--json', '--payload'], { env })).stdout,
    ) as {
      payload: Record<string, unknown>;
    }[];
    expect(json).toHaveLength(1);
    expect(json[0]?.payload).toMatchObject({
      email: 'user1@example.com',
      password: '[redacted]',
      card: { number: '4111111111111111', last4: '1111' },
    });
    const bare = JSON.parse((await project.herald(['queue:failed', '--json'], { env })).stdout) as object[];
    expect(Object.keys(bare[0] ?? {})).not.toContain('payload');
    expect(Object.keys(bare[0] ?? {})).not.toContain('data');
  });

  it('queue:clear needs --force off a terminal, deletes waiting and delayed jobs with a count, and keeps failed ones', async () => {
    await signup(2);
    await signup(3);
    // emails: 3 waiting (the first test left one), crm: 3 delayed, audit: 2 waiting + 1 failed.
    expect(await counts('emails')).toMatchObject({ wait: 3 });
    expect(await counts('crm')).toMatchObject({ delayed: 3 });

    const refused = await project.herald(['queue:clear'], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pass --force');
    expect(await counts('emails')).toMatchObject({ wait: 3 });

    const one = await project.herald(['queue:clear', '--queue', 'emails', '--force'], { env });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe('Deleted 3 jobs from redis (emails 3).\n');
    expect(await counts('emails')).toMatchObject({ wait: 0 });
    expect(await counts('crm')).toMatchObject({ delayed: 3 });

    const all = await project.herald(['queue:clear', 'redis', '--force'], { env });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe('Deleted 5 jobs from redis (default 0, emails 0, crm 3, audit 2).\n');
    expect(await counts('crm')).toMatchObject({ delayed: 0, wait: 0 });
    expect(await counts('audit')).toMatchObject({ wait: 0, failed: 1 });
  });

  /** Runs `herald <args>` on a pseudo-terminal (util-linux `script`) and answers its question. */
  async function onTerminal(args: readonly string[], answer: string): Promise<RunResult> {
    const command = [process.execPath, HERALD_BIN, ...args].map((part) => `'${part}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: project.dir,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('[y/N]') && child.stdin?.writable === true) child.stdin.end(`${answer}\n`);
    });
    const result = await collect(child, 30_000);
    return { ...result, stdout: seen };
  }

  it.skipIf(!existsSync('/usr/bin/script'))(
    'queue:clear on a terminal asks with the count first: no keeps the jobs (exit 1), yes deletes them',
    async () => {
      await signup(4);
      expect(await counts('emails')).toMatchObject({ wait: 1 });
      const declined = await onTerminal(['queue:clear', '--queue', 'emails'], 'n');
      expect(declined.stdout).toContain('Delete 1 job not yet started from redis (emails 1)? [y/N]');
      expect(declined.stdout).toContain('Cancelled: no job was deleted.');
      expect(declined.code).toBe(1);
      expect(await counts('emails')).toMatchObject({ wait: 1 });

      const accepted = await onTerminal(['queue:clear', '--queue', 'emails'], 'y');
      expect(accepted.stdout).toContain('Deleted 1 job from redis (emails 1).');
      expect(accepted.code).toBe(0);
      expect(await counts('emails')).toMatchObject({ wait: 0 });
    },
    60_000,
  );

  it('queue:clear on a memory connection is refused: its jobs live in the process that dispatched them', async () => {
    const result = await project.herald(['queue:clear', 'memory', '--force'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('keeps its jobs inside the process that dispatched them');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('with Redis down, queue:failed, queue:clear and queue:restart fail with exit 1 and a message about themselves, not a dispatch', async () => {
    const down = `redis://127.0.0.1:${await closedPort()}`;
    project.write(
      'down.config.ts',
      `import { defineConfig } from 'herald';
export default defineConfig({
  queue: { default: 'down', connections: { down: { driver: 'bullmq', url: '${down}', unavailableTimeout: 1000 } } },
});
`,
    );
    const cases: [string[], string][] = [
      [['queue:failed'], 'Could not list failed jobs on the queue connection "down"'],
      [['queue:retry', 'all'], 'Could not retry failed jobs on the queue connection "down"'],
      [['queue:clear', '--force'], 'Could not clear the queues on the queue connection "down"'],
      [['queue:restart'], 'Could not signal the workers to restart on the queue connection "down"'],
    ];
    for (const [args, message] of cases) {
      const result = await project.herald(['--config', 'down.config.ts', ...args], { env });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('Check that Redis is running');
      expect(result.stderr).not.toMatch(/dispatch/i);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('queue:restart with only in-process connections says there is nothing to restart (exit 0)', async () => {
    const memoryOnly = createTempProject('herald-restart-memory');
    try {
      const result = await memoryOnly.herald(['queue:restart']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('Nothing to restart: no bullmq (Redis) connection');
    } finally {
      memoryOnly.remove();
    }
  });
});
