import { describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener } from '../../../src/index.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { useStreamRedis } from './support/stream-redis.js';

@Event('prom.note')
class Note {
  constructor(readonly id: string) {}
}

@Listener(Note, { connection: 'log', startFrom: 'start' })
class PromOk {
  handle(): void {}
}

@Listener(Note, { connection: 'log', startFrom: 'start', tries: 1 })
class PromDead {
  handle(): void {
    throw new Error('never');
  }
}

/** One sample of an exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('streams driver: Prometheus series (herald.metricsRegistry())', () => {
  const env = useStreamRedis();

  async function boot(prefix: string): Promise<Herald> {
    const app = await createHerald({
      listeners: [PromOk, PromDead],
      queue: {
        connections: { log: { driver: 'streams', url: env.server.url, prefix, unavailableTimeout: 2000 } },
      },
    });
    env.apps.push(app);
    return app;
  }

  it('counts attempts per group (queue = the stream) and reads each group’s lag, pending and dead at scrape', async () => {
    const prefix = uniqueQueueName('prom');
    const producer = await boot(prefix);
    await producer.dispatch(new Note('a'));
    await producer.dispatch(new Note('b'));
    const app = await boot(prefix);
    const registry = await app.metricsRegistry();

    const series = (group: string, state: string) =>
      `herald_stream_group_entries{stream="prom.note",group="${group}",state="${state}"}`;
    // Before any worker, nothing is watched: no stream series.
    expect(await registry.metrics()).not.toContain('herald_stream_group_entries{');
    const worker = await app.work({ connection: 'log' });
    let text = '';
    await waitFor(
      'both groups to finish both entries',
      async () => {
        text = await registry.metrics();
        // An attempt's report follows its ack or dead letter: wait for the reports too.
        const reported = (listener: string) =>
          sample(text, `herald_job_runtime_seconds_count{listener="${listener}",queue="prom.note"}`);
        return (
          reported('PromOk') === 2 &&
          reported('PromDead') === 2 &&
          sample(text, series('PromDead', 'dead')) === 2 &&
          sample(text, series('PromDead', 'pending')) === 0
        );
      },
      { describe: () => text },
    );
    expect(sample(text, 'herald_jobs_total{listener="PromOk",queue="prom.note",status="completed"}')).toBe(2);
    expect(sample(text, 'herald_jobs_total{listener="PromDead",queue="prom.note",status="failed"}')).toBe(2);
    expect(sample(text, 'herald_job_wait_seconds_count{listener="PromOk",queue="prom.note"}')).toBe(2);
    expect(sample(text, series('PromOk', 'lag'))).toBe(0);
    expect(sample(text, series('PromOk', 'dead'))).toBe(0);
    expect(sample(text, series('PromDead', 'pending'))).toBe(0);
    // A streams connection has no bullmq queues to count.
    expect(text).not.toContain('herald_queue_jobs{');
    await worker.close();
  });
});
