import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/index.js';
import { findDescriptor } from '../../../src/queue/drivers/descriptors.js';
import type { QueuedJob } from '../../../src/queue/job/queued-job.js';
import { LazyQueueDriver } from '../../../src/queue/lazy-driver.js';
import type { JobRunner } from '../../../src/queue/runner/job-runner.js';
import { createModuleFolder, type ModuleFolder } from '../../support/module-folder.js';
import { testRedisUrl, uniqueQueueName } from '../../support/redis-url.js';
import { REPO_ROOT } from '../../support/temp-project.js';

// Which packages a process loaded can only be seen from outside vitest (which loads everything
// itself): these run herald's dist/ (built by the test setup) in a child `node` whose resolve
// hook logs every module of bullmq and ioredis.
const HERALD = JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', 'index.js')).href);
const run = promisify(execFile);

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const found = /node_modules[/](bullmq|ioredis)[/]/.exec(resolved.url);
  if (found) appendFileSync(process.env.LOAD_LOG, found[1] + '\\n');
  return resolved;
}
`;

const APP = `import { readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
writeFileSync(process.env.LOAD_LOG, '');
register('./hooks.mjs', import.meta.url);
const loaded = () => [...new Set(readFileSync(process.env.LOAD_LOG, 'utf8').split('\\n').filter(Boolean))].sort();
const { createHerald, Event, Listener } = await import(${HERALD});
class Shipped { constructor(id) { this.id = id; } }
Event('lazy.shipped')(Shipped);
class Mail { handle() {} }
Listener(Shipped, { queue: true })(Mail);
const url = process.env.TEST_REDIS_URL;
const prefix = process.env.TEST_PREFIX;
const config = {
  listeners: [Mail],
  queue: { default: 'redis', connections: { redis: { driver: 'bullmq', url, prefix }, log: { driver: 'streams', url, prefix } } },
};
const report = {};
const idle = await createHerald(config);
await idle.close();
report.bootedAndClosed = loaded();
const herald = await createHerald(config);
await herald.dispatch(new Shipped('o-1'));
report.afterDispatch = loaded();
report.failed = await herald.countFailed();
await herald.close();
console.log(JSON.stringify(report));
`;

describe('the Redis drivers load BullMQ and ioredis on first use', () => {
  let folder: ModuleFolder;
  beforeAll(() => {
    folder = createModuleFolder('herald-lazy-driver');
    folder.write('hooks.mjs', HOOKS);
    folder.write('app.mjs', APP);
  });
  afterAll(() => folder.remove());

  it('an app with bullmq and streams connections that never pushes loads neither; its first dispatch loads them and works', async () => {
    const env = {
      ...process.env,
      LOAD_LOG: join(folder.root, 'loaded.log'),
      TEST_REDIS_URL: testRedisUrl(),
      TEST_PREFIX: uniqueQueueName('lazy'),
    };
    const { stdout } = await run(process.execPath, [join(folder.root, 'app.mjs')], { env });
    const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(report.bootedAndClosed).toEqual([]);
    expect(report.afterDispatch).toEqual(['bullmq', 'ioredis']);
    expect(report.failed).toBe(0);
  });
});

describe('a lazy Redis driver closed before its first use', () => {
  const job = { listener: 'Mail', queue: 'default' } as unknown as QueuedJob;
  const runner = {} as JobRunner;

  it.each(['bullmq', 'streams'])(
    '%s: a push after close() is refused with kind "closed" (nothing is opened)',
    async (name) => {
      const descriptor = findDescriptor(name);
      const driver = descriptor?.create('redis', { driver: name, url: testRedisUrl() } as never, runner);
      await driver?.close();
      const pushed = driver?.push(job);
      await expect(pushed).rejects.toThrow(HeraldError);
      await expect(pushed).rejects.toMatchObject({
        kind: 'closed',
        message: 'The queue connection "redis" is closed.',
      });
    },
  );
});

describe('a lazy driver whose module fails to load', () => {
  it('rejects each use with the cause, and close() still resolves (nothing was opened)', async () => {
    const cause = new Error('Cannot find package bullmq');
    const driver = new LazyQueueDriver(
      {
        connection: 'redis',
        defaultQueue: 'default',
        features: { delays: true, priority: true, unique: true, shared: true },
      },
      () => Promise.reject(cause),
    );
    await expect(driver.push({} as QueuedJob)).rejects.toBe(cause);
    await expect(driver.failedJobs.countFailed(['default'])).rejects.toBe(cause);
    await expect(driver.close()).resolves.toBeUndefined();
  });
});
