import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event, Listener } from '../../src/index.js';
import { findFreePort } from '../support/redis-server.js';
import { createTempProject, type TempProject } from '../support/temp-project.js';
import { waitFor } from '../support/wait-for.js';
import { redisProjectConfig, useProjectWorlds } from './support/redis-project.js';

/**
 * `herald queue:work --metrics-port`: a real worker (real binary, real Redis, bullmq) serving
 * Prometheus `/metrics` while it runs: attempts by status, run time and wait histograms, the
 * queues' jobs by state read at scrape, Node's process metrics; 404 elsewhere; gone with the worker.
 */

const LISTENERS = `import { Event, Listener, type ListenerContext } from 'herald';

@Event('promcli.order')
export class Order { constructor(readonly kind: string) {} }

@Listener(Order, { queue: 'emails', name: 'SendReceipt', tries: 2, backoff: 0 })
export class SendReceipt {
  handle(event: Order, ctx: ListenerContext): void {
    if (event.kind === 'flaky' && ctx.attempt === 1) throw new Error('try again');
    if (event.kind === 'broken') throw new Error('broken order');
  }
}

@Listener(Order, { queue: 'later', name: 'FollowUp', delay: 600_000 })
export class FollowUp {
  handle(): void {}
}
`;

// The project's wire names, for dispatching from this process (it only enqueues).
@Event('promcli.order')
class Order {
  constructor(readonly kind: string) {}
}
@Listener(Order, { queue: 'emails', name: 'SendReceipt', tries: 2, backoff: 0 })
class SendReceipt {
  handle(): void {}
}
@Listener(Order, { queue: 'later', name: 'FollowUp', delay: 600_000 })
class FollowUp {
  handle(): void {}
}

/** One sample of an exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('herald queue:work --metrics-port (real binary, real Redis)', () => {
  let project: TempProject;
  beforeAll(() => {
    project = createTempProject('herald-work-metrics');
    project.write('herald.config.ts', redisProjectConfig());
    project.write('src/listeners/listeners.ts', LISTENERS);
  });
  afterAll(() => project?.remove());
  const world = useProjectWorlds(() => project, { name: 'work-metrics', listeners: [SendReceipt, FollowUp] });

  it('serves the series with the counts of a success, a retry and a failure, and closes with the worker', async () => {
    const w = world();
    const port = await findFreePort('127.0.0.1');
    const worker = w.spawn(['queue:work', '--metrics-port', String(port)]);
    const url = `http://127.0.0.1:${port}/metrics`;
    await waitFor('the worker to start', () => worker.bannerAt() !== undefined, {
      timeoutMs: 15_000,
      describe: () => worker.stderr(),
    });
    expect(worker.stderr()).toContain(`serving Prometheus metrics at ${url}`);
    const app = await w.dispatcher();
    for (const kind of ['ok', 'flaky', 'broken']) await app.dispatch(new Order(kind));

    const labels = 'listener="SendReceipt",queue="emails"';
    let text = '';
    await waitFor(
      'the attempts to be counted',
      async () => {
        text = await (await fetch(url)).text();
        // BullMQ moves a job to failed after its attempt's report: wait for both.
        return (
          sample(text, `herald_job_runtime_seconds_count{${labels}}`) === 5 &&
          sample(text, 'herald_queue_jobs{queue="emails",state="failed"}') === 1 &&
          sample(text, 'herald_queue_jobs{queue="emails",state="active"}') === 0
        );
      },
      { timeoutMs: 15_000, describe: () => `${text}\n${worker.stderr()}` },
    );
    expect(sample(text, `herald_jobs_total{${labels},status="completed"}`)).toBe(2);
    expect(sample(text, `herald_jobs_total{${labels},status="retrying"}`)).toBe(2);
    expect(sample(text, `herald_jobs_total{${labels},status="failed"}`)).toBe(1);
    expect(sample(text, `herald_job_wait_seconds_count{${labels}}`)).toBe(5);
    expect(text).toContain(`herald_job_wait_seconds_bucket{le="3600",${labels}} 5`);
    // Read from Redis at the scrape: the failed job is kept, FollowUp's waits 10 min.
    expect(sample(text, 'herald_queue_jobs{queue="emails",state="failed"}')).toBe(1);
    expect(sample(text, 'herald_queue_jobs{queue="emails",state="waiting"}')).toBe(0);
    expect(sample(text, 'herald_queue_jobs{queue="later",state="delayed"}')).toBe(3);
    expect(sample(text, 'herald_queue_jobs{queue="later",state="active"}')).toBe(0);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);

    const elsewhere = await fetch(`http://127.0.0.1:${port}/`);
    expect(elsewhere.status).toBe(404);
    await elsewhere.text();

    worker.child.kill('SIGTERM');
    expect((await worker.exited).code, worker.stderr()).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('exits 1 naming the port when it is taken, before working any job', async () => {
    const w = world();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const app = await w.dispatcher();
      await app.dispatch(new Order('ok'));
      const result = await w.run(['queue:work', '--stop-when-empty', '--metrics-port', String(port)]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(`port ${port} is already in use on 127.0.0.1`);
      expect((await w.counts('emails')).wait).toBe(1);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it.each([
    [['--metrics-port', '0'], 'expected a port from 1 to 65535, got "0"'],
    [['--metrics-port', '70000'], 'expected a port from 1 to 65535, got "70000"'],
    [['--metrics-port', 'http'], 'expected a port from 1 to 65535, got "http"'],
    [['--metrics-host', '0.0.0.0'], '--metrics-host needs --metrics-port'],
  ])('refuses %j with exit 2', async (flags, message) => {
    const result = await world().run(['queue:work', '--stop-when-empty', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
