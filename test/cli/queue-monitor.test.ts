import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';
import { createTempProject, type TempProject } from '../support/temp-project.js';
import { redisProjectConfig } from './support/redis-project.js';

const LISTENERS = `
import { Event, Listener } from 'herald';

@Event('reports.asked')
export class ReportAsked { constructor(readonly id: string) {} }

@Listener(ReportAsked, { queue: 'reports' })
export class BuildReport {
  handle(event: ReportAsked): void {
    if (event.id.startsWith('bad')) throw new Error('no data for ' + event.id);
  }
}
`;

const DISPATCH = `
import { createHerald, loadConfig } from 'herald';
import { ReportAsked } from './src/listeners/build-report.ts';
const { config } = await loadConfig();
const herald = await createHerald(config);
for (const id of (process.env.IDS ?? '').split(',')) await herald.dispatch(new ReportAsked(id));
await herald.close();
`;

describe('herald queue:monitor (real binary, real Redis)', () => {
  let project: TempProject;
  let env: Record<string, string>;

  beforeAll(async () => {
    project = createTempProject();
    project.write('src/listeners/build-report.ts', LISTENERS);
    project.write('dispatch.ts', DISPATCH);
    project.write('herald.config.ts', redisProjectConfig());
    env = { TEST_REDIS_URL: testRedisUrl(), TEST_PREFIX: uniqueQueueName('monitor') };
    expect((await project.script('dispatch.ts', { env: { ...env, IDS: 'r-1,r-2,r-3,bad-1' } })).code).toBe(0);
    expect((await project.herald(['queue:work', '--stop-when-empty'], { env })).code).toBe(0);
  });
  afterAll(() => project.remove());

  it('prints a row per listener and a total row with what the worker recorded', async () => {
    const shown = await project.herald(['queue:monitor'], { env });
    expect(shown.code).toBe(0);
    const row = shown.stdout.split('\n').find((line) => line.startsWith('BuildReport'));
    expect(row).toMatch(/^BuildReport\s+redis\/reports\s+0\.\d\s+25\.0%/);
    expect(shown.stdout).toMatch(/^LISTENER\s+QUEUE\s+PROC\/MIN\s+FAIL%/m);
    expect(shown.stdout).toMatch(/^TOTAL\s+0\.\d\s+25\.0%\s+0\s+0\s+0\s+1\s+-$/m);
  });

  it('--json prints herald.stats()', async () => {
    const shown = await project.herald(['queue:monitor', '--json', '--since', '1h'], { env });
    expect(shown.code).toBe(0);
    const stats = JSON.parse(shown.stdout) as { listeners: Record<string, unknown>[] };
    expect(stats.listeners).toEqual([
      expect.objectContaining({
        listener: 'BuildReport',
        processed: 3,
        failed: 1,
        failedTotal: 1,
        waiting: 0,
      }),
    ]);
  });

  it('--max-wait exits 1 naming the listener whose oldest waiting job is older (no worker running)', async () => {
    expect((await project.script('dispatch.ts', { env: { ...env, IDS: 'r-late' } })).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const late = await project.herald(['queue:monitor', '--max-wait', '0.1'], { env });
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/older than 0\.1s for: BuildReport \(\d+s\)/);
    expect(late.stdout).toMatch(/^BuildReport\s/m);
    expect((await project.herald(['queue:monitor', '--max-wait', '3600'], { env })).code).toBe(0);
  });

  it('a bad --since or --max-wait is a usage error (exit 2) naming the fix', async () => {
    const since = await project.herald(['queue:monitor', '--since', 'yesterday'], { env });
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('expected a duration from 1s to 14d such as 90s, 15m, 6h or 2d');
    expect((await project.herald(['queue:monitor', '--since', '30d'], { env })).code).toBe(2);
    expect((await project.herald(['queue:monitor', '--max-wait', '-1'], { env })).code).toBe(2);
  });

  it('--watch without a terminal prints once and says so', async () => {
    const shown = await project.herald(['queue:monitor', '--watch'], { env });
    expect(shown.code).toBe(0);
    expect(shown.stderr).toContain('--watch needs a terminal; printing once.');
    expect(shown.stdout).toMatch(/^TOTAL/m);
  });
});
