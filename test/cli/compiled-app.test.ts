import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';
import { collect, createTempProject, type TempProject } from '../support/temp-project.js';

// A compiled (JavaScript) app: what tsc would emit, with the decorators applied as its output does.
const LISTENERS = `import { Event, Listener } from 'herald';
import { appendFileSync } from 'node:fs';

export class OrderShipped {
  constructor(id) { this.id = id; }
}
Event('orders.shipped')(OrderShipped);

export class Notify {
  handle(event, ctx) { appendFileSync('handled.log', event.id + ' ' + ctx.queue + '\\n'); }
}
Listener(OrderShipped, { queue: 'mail' })(Notify);
`;

const DISPATCH = `import { createHerald, loadConfig } from 'herald';
import { OrderShipped } from './build/listeners/notify.js';
const herald = await createHerald((await loadConfig()).config);
await herald.dispatch(new OrderShipped('o-7'));
await herald.close();
`;

describe('a compiled JavaScript app, outside the repo', () => {
  let project: TempProject;
  let env: Record<string, string>;

  beforeAll(() => {
    project = createTempProject('herald-js');
    project.write('build/listeners/notify.js', LISTENERS);
    project.write('dispatch.mjs', DISPATCH);
    project.write(
      'herald.config.mjs',
      `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['build/listeners'],
  queue: { default: 'redis', connections: { redis: { driver: 'bullmq', url: process.env.TEST_REDIS_URL, prefix: process.env.TEST_PREFIX } } },
});
`,
    );
    env = { TEST_REDIS_URL: testRedisUrl(), TEST_PREFIX: uniqueQueueName('js') };
  });
  afterAll(() => project.remove());

  it('event:list reads the compiled config and listeners with plain node', async () => {
    const listed = await project.herald(['event:list', '--json'], { env });
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const events = JSON.parse(listed.stdout) as {
      event: string;
      listeners: { name: string; queued: boolean }[];
    }[];
    expect(events).toMatchObject([
      { event: 'orders.shipped', listeners: [{ name: 'Notify', queued: true }] },
    ]);
  });

  it('an app run with plain node dispatches, and queue:work runs the compiled listener', async () => {
    const dispatched = await collect(
      spawn(process.execPath, ['dispatch.mjs'], {
        cwd: project.dir,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    expect(dispatched.stderr).toBe('');
    expect(dispatched.code).toBe(0);
    const worked = await project.herald(['queue:work', '--stop-when-empty'], { env });
    expect(worked.code).toBe(0);
    expect(readFileSync(join(project.dir, 'handled.log'), 'utf8')).toBe('o-7 mail\n');
  });
});

describe('a compiled app whose config discovers *.ts globs (what make:* used to write)', () => {
  let project: TempProject;
  beforeAll(() => {
    project = createTempProject('herald-js-globs');
    project.write('build/listeners/notify.js', LISTENERS);
    project.write(
      'herald.config.mjs',
      `import { defineConfig } from 'herald';\nexport default defineConfig({ discover: ['build/listeners/**/*.ts'] });\n`,
    );
  });
  afterAll(() => project.remove());

  it('fails boot with discovery_failed naming the entry and the folder, instead of booting with no listeners', async () => {
    const listed = await project.herald(['event:list']);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain('"build/listeners/**/*.ts" matched no module file');
    expect(listed.stderr).toContain(`looked in ${join(project.dir, 'build', 'listeners')}`);
  });
});
