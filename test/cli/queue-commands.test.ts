import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';
import { createTempProject, type TempProject } from '../support/temp-project.js';
import { redisProjectConfig } from './support/redis-project.js';

const LISTENERS = `
import { Event, Listener, type ListenerContext } from 'herald';
import { appendFileSync } from 'node:fs';

export class Outbox {
  write(line: string): void { appendFileSync('outbox.log', line + '\\n'); }
}

@Event('orders.shipped')
export class OrderShipped { constructor(readonly id: string, readonly at: Date) {} }

@Listener(OrderShipped, { queue: 'emails', tries: 2 })
export class SendMail {
  // No @inject: the type comes from the decorator metadata jiti emits.
  constructor(private readonly outbox: Outbox) {}
  handle(event: OrderShipped, ctx: ListenerContext): void {
    if (event.id.startsWith('bad') && !process.env.FIXED) throw new Error('mail server said no to ' + event.id);
    this.outbox.write(event.id + ' attempt ' + ctx.attempt + ' ' + (event.at instanceof Date));
  }
}
`;

const DISPATCH = `
import { createHerald, loadConfig } from 'herald';
import { OrderShipped } from './src/listeners/send-mail.ts';
const { config } = await loadConfig();
const herald = await createHerald(config);
for (const id of process.argv.slice(2).length ? process.argv.slice(2) : ['o-1', 'o-2', 'bad-1']) {
  await herald.dispatch(new OrderShipped(id, new Date()));
}
await herald.close();
`;

describe('herald queue:* commands (real binary, real Redis, a project outside the repo)', () => {
  let project: TempProject;
  let env: Record<string, string>;

  beforeAll(() => {
    project = createTempProject();
    project.write('src/listeners/send-mail.ts', LISTENERS);
    project.write('dispatch.ts', DISPATCH);
    project.write('herald.config.ts', redisProjectConfig());
    env = { TEST_REDIS_URL: testRedisUrl(), TEST_PREFIX: uniqueQueueName('cli') };
  });
  afterAll(() => project.remove());

  it('an app dispatches, queue:work --stop-when-empty handles every job, logs one line each, and exits 0', async () => {
    const dispatched = await project.script('dispatch.ts', { env });
    expect(dispatched.stderr).toBe('');
    expect(dispatched.code).toBe(0);

    const worked = await project.herald(['queue:work', '--stop-when-empty', '--json', '--concurrency', '2'], {
      env,
    });
    expect(worked.code).toBe(0);
    const lines = worked.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.outcome === 'completed')).toHaveLength(2);
    expect(lines.filter((line) => line.outcome === 'retrying')).toHaveLength(1);
    expect(lines.find((line) => line.outcome === 'failed')).toMatchObject({
      queue: 'emails',
      listener: 'SendMail',
      event: 'orders.shipped',
      attempt: 2,
      error: 'mail server said no to bad-1',
    });

    const outbox = readFileSync(join(project.dir, 'outbox.log'), 'utf8').trim().split('\n').sort();
    expect(outbox).toEqual(['o-1 attempt 1 true', 'o-2 attempt 1 true']);

    const failed = await project.herald(['queue:failed', '--json'], { env });
    expect(failed.code).toBe(0);
    const jobs = JSON.parse(failed.stdout) as {
      id: string;
      attempts: number;
      error: string;
      listener: string;
    }[];
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      attempts: 2,
      listener: 'SendMail',
      error: 'mail server said no to bad-1',
    });

    const human = await project.herald(['queue:failed'], { env });
    expect(human.stdout).toContain('mail server said no to bad-1');
    expect(human.stdout).not.toContain('\u001b[');

    // After the fix is deployed, queue:retry runs the job again and it completes.
    const retried = await project.herald(['queue:retry', jobs[0]?.id ?? ''], { env });
    expect(retried.code).toBe(0);
    const fixed = await project.herald(['queue:work', '--stop-when-empty'], { env: { ...env, FIXED: '1' } });
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/SendMail orders\.shipped job emails:\d+ attempt 1 \d+ms completed/);
    expect((await project.herald(['queue:failed', '--json'], { env })).stdout.trim()).toBe('[]');
  });

  it('queue:retry / queue:forget of an unknown id fail with exit 1 and say where to look', async () => {
    for (const args of [
      ['queue:retry', 'no-such-job'],
      ['queue:forget', 'no-such-job'],
    ]) {
      const result = await project.herald(args, { env });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('No failed job with id no-such-job');
      expect(result.stderr).toContain('queue:failed');
    }
  });

  it('queue:flush deletes failed jobs', async () => {
    await project.script('dispatch.ts', { env: { ...env, NOTHING: '1' } });
    await project.herald(['queue:work', '--stop-when-empty'], { env });
    const flushed = await project.herald(['queue:flush'], { env });
    expect(flushed.code).toBe(0);
    expect(flushed.stdout).toContain('Deleted 1 failed job.');
    expect((await project.herald(['queue:failed', '--json'], { env })).stdout.trim()).toBe('[]');
  });

  it('bad flags are usage errors (exit 2) that name the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['queue:work', '--concurrency', '0'], /--concurrency/],
      [['queue:work', '--max-jobs', 'ten'], /--max-jobs/],
      [['queue:work', '--queue', 'a:b'], /--queue/],
      [['queue:forget'], /missing required argument 'id'/],
      [['queue:nope'], /unknown command/],
    ];
    for (const [args, message] of cases) {
      const result = await project.herald(args, { env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it('queue:work on a connection the config does not have fails with exit 1 naming the known ones', async () => {
    const result = await project.herald(['queue:work', 'nope', '--stop-when-empty'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No queue connection named "nope"');
    expect(result.stderr).toContain('redis');
    // The message only: no stack trace.
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
