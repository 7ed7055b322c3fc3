import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHerald,
  Event,
  type Herald,
  HeraldError,
  Listener,
  type ListenerContext,
} from '../../../src/index.js';
import { startRedisServer } from '../../support/redis-server.js';
import { testRedisUrl, uniqueQueueName } from '../../support/redis-url.js';

/** What each attempt saw: `<listener> <event id> <ctx.jobId>`. */
const seen: string[] = [];

@Event('retention.job-asked')
class JobAsked {
  constructor(
    readonly id: string,
    readonly fail = false,
  ) {}
}

@Listener(JobAsked, { queue: 'alpha', name: 'OnAlpha' })
class OnAlpha {
  handle(event: JobAsked, ctx: ListenerContext): void {
    seen.push(`alpha ${event.id} ${ctx.jobId}`);
    if (event.fail) throw new Error(`alpha refused ${event.id}`);
  }
}

@Listener(JobAsked, { queue: 'beta', name: 'OnBeta' })
class OnBeta {
  handle(event: JobAsked, ctx: ListenerContext): void {
    seen.push(`beta ${event.id} ${ctx.jobId}`);
    if (event.fail) throw new Error(`beta refused ${event.id}`);
  }
}

function config(prefix: string, extra: Record<string, unknown> = {}, url = testRedisUrl()) {
  return {
    listeners: [OnAlpha, OnBeta],
    queue: {
      default: 'redis',
      connections: { redis: { driver: 'bullmq' as const, url, prefix, ...extra } },
    },
  };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; seen: ${seen.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('bullmq driver: retention and job ids', () => {
  const apps: Herald[] = [];
  const queues: Queue[] = [];

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
    seen.length = 0;
  });

  async function start(extra: Record<string, unknown> = {}) {
    const prefix = uniqueQueueName('retention');
    const app = await createHerald(config(prefix, extra));
    apps.push(app);
    const queue = (name: string) => {
      const opened = new Queue(name, { connection: { url: testRedisUrl() }, prefix });
      queues.push(opened);
      return opened;
    };
    return { app, alpha: queue('alpha'), beta: queue('beta') };
  }

  it('the worker trims completed and failed jobs to the configured counts', async () => {
    const { app, alpha } = await start({ removeOnComplete: 2, removeOnFail: 1 });
    for (let i = 0; i < 5; i++) await app.dispatch(new JobAsked(`ok-${i}`));
    for (let i = 0; i < 3; i++) await app.dispatch(new JobAsked(`bad-${i}`, true));
    const worker = await app.work({ concurrency: 1, queues: ['alpha'] });
    await waitFor('the alpha jobs', () => seen.filter((line) => line.startsWith('alpha')).length === 8);
    await worker.close();
    expect(await alpha.getJobCounts('completed', 'failed', 'wait', 'active')).toEqual({
      completed: 2,
      failed: 1,
      wait: 0,
      active: 0,
    });
    // The newest are the ones kept.
    expect((await app.failedJobs({ queues: ['alpha'] })).map((job) => job.error)).toEqual([
      'alpha refused bad-2',
    ]);
  });

  it('by default keeps completed jobs (up to 1000) and failed ones for queue:failed', async () => {
    const { app, alpha } = await start();
    for (let i = 0; i < 4; i++) await app.dispatch(new JobAsked(`ok-${i}`));
    await app.dispatch(new JobAsked('bad', true));
    const worker = await app.work({ concurrency: 2, queues: ['alpha'] });
    await waitFor('the alpha jobs', () => seen.filter((line) => line.startsWith('alpha')).length === 5);
    await worker.close();
    expect(await alpha.getJobCounts('completed', 'failed')).toEqual({ completed: 4, failed: 1 });
  });

  it('removeOnComplete: true keeps no completed job', async () => {
    const { app, alpha } = await start({ removeOnComplete: true });
    for (let i = 0; i < 3; i++) await app.dispatch(new JobAsked(`ok-${i}`));
    const worker = await app.work({ concurrency: 1, queues: ['alpha'] });
    await waitFor('the alpha jobs', () => seen.filter((line) => line.startsWith('alpha')).length === 3);
    await worker.close();
    expect(await alpha.getJobCounts('completed', 'wait')).toEqual({ completed: 0, wait: 0 });
  });

  it('job ids name the queue, so the same BullMQ number on two queues stays two failed jobs', async () => {
    const { app, alpha, beta } = await start();
    await app.dispatch(new JobAsked('x', true));
    // BullMQ numbers each queue's jobs from 1: both jobs are "1" to BullMQ.
    expect((await alpha.getJobs(['wait'])).map((job) => job.id)).toEqual(['1']);
    expect((await beta.getJobs(['wait'])).map((job) => job.id)).toEqual(['1']);
    const worker = await app.work({ concurrency: 2 });
    await waitFor('both jobs', async () => (await app.failedJobs()).length === 2);
    expect(seen.sort()).toEqual(['alpha x alpha:1', 'beta x beta:1']);
    const failed = await app.failedJobs();
    expect(failed.map((job) => job.id).sort()).toEqual(['alpha:1', 'beta:1']);

    // A bare BullMQ id matches nothing; a herald id retries exactly its own job.
    expect(await app.forgetFailed('1')).toBe(false);
    expect(await app.retryFailed(['1'])).toEqual([]);
    seen.length = 0;
    expect(await app.retryFailed(['beta:1'])).toEqual(['beta:1']);
    await waitFor(
      'the retried beta job',
      async () => seen.length === 1 && (await beta.getFailedCount()) === 1,
    );
    expect(seen).toEqual(['beta x beta:1']);
    expect(await alpha.getFailedCount()).toBe(1);

    expect(await app.forgetFailed('alpha:1')).toBe(true);
    expect(await app.forgetFailed('alpha:1')).toBe(false);
    expect((await app.failedJobs()).map((job) => job.id)).toEqual(['beta:1']);
    await worker.close();
  });

  it('stores every job of a burst larger than one addBulk batch, and each dispatch resolves', async () => {
    const { app, alpha, beta } = await start();
    const burst = Array.from({ length: 1200 }, (_, i) => app.dispatch(new JobAsked(`burst-${i}`)));
    await expect(Promise.all(burst)).resolves.toHaveLength(1200);
    expect(await alpha.getWaitingCount()).toBe(1200);
    expect(await beta.getWaitingCount()).toBe(1200);
  });

  it('a burst of dispatches while Redis is down all reject with queue_unavailable', async () => {
    const server = await startRedisServer();
    const url = server.url;
    await server.stop();
    const app = await createHerald(config('down', { unavailableTimeout: 300 }, url));
    apps.push(app);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => app.dispatch(new JobAsked(`lost-${i}`))),
    );
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason;
      expect(HeraldError.is(reason, 'queue_unavailable'), String(reason)).toBe(true);
    }
  });
});
