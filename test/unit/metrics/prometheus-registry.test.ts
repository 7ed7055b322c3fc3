import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, type JobReport, Listener } from '../../../src/index.js';
import { withTap } from '../../../src/queue/worker/tapped-work-options.js';

@Event('prom.signed-up')
class SignedUp {
  constructor(readonly email: string) {}
}

@Listener(SignedUp, { queue: 'emails', tries: 2, backoff: 0 })
class SendWelcome {
  static seen = new Set<string>();
  handle(event: SignedUp): void {
    // 'flaky' fails its first attempt only; '' fails every attempt.
    if (event.email === 'flaky' && !SendWelcome.seen.has('flaky')) {
      SendWelcome.seen.add('flaky');
      throw new Error('try again');
    }
    if (event.email === '') throw new Error('no address');
  }
}

const memory = { connections: { memory: { driver: 'memory' as const } } };

/** The value of one sample of a registry's text exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('herald.metricsRegistry() (memory connection)', () => {
  const apps: Herald[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    SendWelcome.seen.clear();
  });

  async function boot(): Promise<Herald> {
    const herald = await createHerald({ listeners: [SendWelcome], queue: memory });
    apps.push(herald);
    return herald;
  }

  it("counts the attempts of the app's workers, and merges into an app's own registry", async () => {
    const herald = await boot();
    const registry = await herald.metricsRegistry();
    expect(await herald.metricsRegistry()).toBe(registry);
    await herald.work();
    for (const email of ['a@example.com', 'flaky', '']) await herald.dispatch(new SignedUp(email));
    await herald.drain();

    const text = await registry.metrics();
    const labels = 'listener="SendWelcome",queue="emails"';
    expect(sample(text, `herald_jobs_total{${labels},status="completed"}`)).toBe(2);
    expect(sample(text, `herald_jobs_total{${labels},status="retrying"}`)).toBe(2);
    expect(sample(text, `herald_jobs_total{${labels},status="failed"}`)).toBe(1);
    expect(sample(text, `herald_job_runtime_seconds_count{${labels}}`)).toBe(5);
    expect(sample(text, `herald_job_wait_seconds_count{${labels}}`)).toBe(5);
    // No process metrics unless asked: the app's registry usually has them already.
    expect(text).not.toContain('process_cpu_user_seconds_total');
    // The memory driver counts no queue states: the gauge has no samples.
    expect(text).not.toMatch(/^herald_queue_jobs\{/m);

    const app = new Registry();
    new Counter({ name: 'app_orders_total', help: 'orders', registers: [app] }).inc(3);
    const merged = await Registry.merge([app, registry]).metrics();
    expect(sample(merged, 'app_orders_total')).toBe(3);
    expect(sample(merged, `herald_jobs_total{${labels},status="failed"}`)).toBe(1);
  });

  it('adds Node process metrics when asked, once', async () => {
    const herald = await boot();
    const registry = await herald.metricsRegistry({ processMetrics: true });
    await herald.metricsRegistry({ processMetrics: true });
    const text = await registry.metrics();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text.match(/^# TYPE process_cpu_user_seconds_total /gm)).toHaveLength(1);
  });

  it('costs a worker nothing until asked: work() adds no onJob of its own', () => {
    const watched: string[] = [];
    const off = { watch: (connection: string) => watched.push(connection), onJob: undefined };
    const options = { concurrency: 2 };
    expect(withTap(options, off, 'redis', ['emails'])).toBe(options);
    expect(watched).toEqual(['redis']);

    const heard: string[] = [];
    const on = { watch: () => {}, onJob: (report: JobReport) => heard.push(`tap ${report.jobId}`) };
    const tapped = withTap({ onJob: (report) => heard.push(`caller ${report.jobId}`) }, on, 'redis', []);
    tapped.onJob?.({ jobId: '7' } as JobReport);
    expect(heard).toEqual(['caller 7', 'tap 7']);
  });
});
