import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener, type ListenerContext } from '../../../src/index.js';
import { testRedisUrl, uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';

@Event('bull-long.invoice-due')
class InvoiceDue {
  constructor(readonly id: string) {}
}

const handled: string[] = [];
const failures: string[] = [];
const MONTH_AND_MORE = 3_000_000_000;

@Listener(InvoiceDue, { queue: true, delay: MONTH_AND_MORE })
class RemindLater {
  handle(event: InvoiceDue): void {
    handled.push(`remind ${event.id}`);
  }
}

@Listener(InvoiceDue, { queue: true, tries: 2 })
class ReleaseLong {
  handle(event: InvoiceDue, ctx: ListenerContext): void {
    handled.push(`release ${event.id} attempt ${ctx.attempt}`);
    ctx.release(MONTH_AND_MORE);
  }
}

@Listener(InvoiceDue, { queue: true, timeout: 2_200_000_000 })
class SlowWithLongTimeout {
  async handle(event: InvoiceDue): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 150));
    handled.push(`slow ${event.id} done`);
  }
  failed(_event: InvoiceDue, error: Error): void {
    failures.push(error.message);
  }
}

describe('durations past Node timer limit (2^31 - 1 ms) on bullmq', () => {
  const apps: Herald[] = [];
  const queues: Queue[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
    handled.length = 0;
    failures.length = 0;
  });

  async function boot(listener: new () => object, prefix: string): Promise<Herald> {
    const app = await createHerald({
      listeners: [listener],
      queue: {
        default: 'redis',
        connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix } },
      },
    });
    apps.push(app);
    return app;
  }

  function queueOf(prefix: string): Queue {
    const queue = new Queue('default', { connection: { url: testRedisUrl() }, prefix });
    queues.push(queue);
    return queue;
  }

  it('dispatch() - a 3e9 ms delay is stored as due in 3e9 ms and a running worker leaves it alone', async () => {
    const prefix = uniqueQueueName('long');
    const app = await boot(RemindLater, prefix);
    const before = Date.now();
    await app.dispatch(new InvoiceDue('i1'));
    const worker = await app.work();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await worker.close();
    expect(handled).toEqual([]);
    const [job] = await queueOf(prefix).getDelayed();
    expect(job?.delay).toBe(MONTH_AND_MORE);
    expect(job?.timestamp).toBeGreaterThanOrEqual(before);
  });

  it('ctx.release(3e9) - the released job is delayed by 3e9 ms, not run again at once', async () => {
    const prefix = uniqueQueueName('long');
    const app = await boot(ReleaseLong, prefix);
    await app.dispatch(new InvoiceDue('i2'));
    const worker = await app.work();
    await waitFor('the job to be handled', () => handled.length === 1, { intervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await worker.close();
    expect(handled).toEqual(['release i2 attempt 1']);
    const delayed = await queueOf(prefix).getDelayed();
    expect(delayed).toHaveLength(1);
    expect(delayed[0]?.delay).toBe(MONTH_AND_MORE);
  });

  it('timeout: 2_200_000_000 - an attempt on a worker is not timed out at once', async () => {
    const prefix = uniqueQueueName('long');
    const app = await boot(SlowWithLongTimeout, prefix);
    await app.dispatch(new InvoiceDue('i3'));
    const worker = await app.work();
    await waitFor('the job to be handled or to fail', () => handled.length + failures.length > 0, {
      intervalMs: 20,
    });
    await worker.close();
    expect(failures).toEqual([]);
    expect(handled).toEqual(['slow i3 done']);
  });

  it('work({ maxTime: 2_200_000 }) - a worker told to stop after 25 days keeps running', async () => {
    const app = await boot(RemindLater, uniqueQueueName('long'));
    const worker = await app.work({ maxTime: 2_200_000 });
    const stopped = await Promise.race([
      worker.stopped.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 500)),
    ]);
    await worker.close();
    expect(stopped).toBe(false);
  });
});
