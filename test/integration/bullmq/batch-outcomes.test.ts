import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, HeraldError, Listener } from '../../../src/index.js';
import { type RedisServerHandle, startRedisServer } from '../../support/redis-server.js';
import { uniqueQueueName } from '../../support/redis-url.js';

@Event('batch.note-posted')
class NotePosted {
  constructor(
    readonly id: string,
    readonly body: string,
  ) {}
}

@Listener(NotePosted, { queue: true })
class StoreNote {
  handle(): void {}
}

const SMALL = 'x'.repeat(100);
/** 2 MB: over the 1 MB proto-max-bulk-len of the server below, the smallest Redis allows. */
const HUGE = 'y'.repeat(2 * 1024 * 1024);

describe('bullmq pushes of one tick', () => {
  let server: RedisServerHandle;
  const apps: Herald[] = [];
  const queues: Queue[] = [];

  beforeAll(async () => {
    server = await startRedisServer({ args: ['--proto-max-bulk-len', '1mb'] });
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await server.stop();
  });

  async function boot(prefix: string, url = server.url): Promise<Herald> {
    const app = await createHerald({
      listeners: [StoreNote],
      queue: {
        default: 'redis',
        // Above the 2 MB job, so that Redis (not herald's own limit) is what refuses it.
        connections: { redis: { driver: 'bullmq', url, prefix, maxPayloadBytes: 8 * 1024 * 1024 } },
      },
    });
    apps.push(app);
    return app;
  }

  async function storedIds(prefix: string, url = server.url): Promise<string[]> {
    const queue = new Queue('default', { connection: { url }, prefix });
    queues.push(queue);
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    // The payload is herald's tagged encoding: find the note id in its JSON text.
    const known = ['warm', 'after', 'n0', 'n1', 'n2', 'n3', 'n4', 'n5'];
    return jobs.map((job) => known.find((id) => JSON.stringify(job.data).includes(`"${id}"`)) ?? '?');
  }

  /** Five small dispatches and one too large for Redis, in one tick; returns their outcomes. */
  async function dispatchTick(app: Herald): Promise<PromiseSettledResult<void>[]> {
    // Warm the connection so all six pushes share one batch.
    await app.dispatch(new NotePosted('warm', SMALL));
    const bodies = [SMALL, SMALL, HUGE, SMALL, SMALL, SMALL];
    return Promise.allSettled(bodies.map((body, index) => app.dispatch(new NotePosted(`n${index}`, body))));
  }

  const EXPECTED_STATUS = ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'];

  it('dispatch() - a job Redis cannot take rejects alone; the other dispatches of its tick resolve and their jobs are stored once', async () => {
    const prefix = uniqueQueueName('batch');
    const app = await boot(prefix);
    const outcomes = await dispatchTick(app);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(EXPECTED_STATUS);
    const refused = (outcomes[2] as PromiseRejectedResult).reason;
    expect(HeraldError.is(refused, 'payload_too_large')).toBe(true);
    expect((refused as Error).message).toMatch(/StoreNote.*proto-max-bulk-len/);
    const ids = await storedIds(prefix);
    expect(ids.sort()).toEqual(['n0', 'n1', 'n3', 'n4', 'n5', 'warm']);
    // The connection survived: the next dispatch is stored too.
    await app.dispatch(new NotePosted('after', SMALL));
    expect((await storedIds(prefix)).sort()).toEqual(['after', 'n0', 'n1', 'n3', 'n4', 'n5', 'warm']);
  });

  it('dispatch() - where CONFIG is not allowed, Redis refusing a too-large job still fails only that dispatch', async () => {
    const hidden = await startRedisServer({
      args: ['--proto-max-bulk-len', '1mb', '--rename-command', 'CONFIG', 'herald-test-hidden-config'],
    });
    try {
      const prefix = uniqueQueueName('batch');
      const app = await boot(prefix, hidden.url);
      const outcomes = await dispatchTick(app);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(EXPECTED_STATUS);
      const refused = (outcomes[2] as PromiseRejectedResult).reason;
      // Redis answers "invalid bulk length" and drops the connection. Whether that answer reaches
      // the client before the close is a race: the dispatch rejects as payload_too_large when it
      // does, else as an outage (queue_unavailable) whose message says the job's size may be why.
      const refusal = refused as HeraldError;
      expect(refusal).toBeInstanceOf(HeraldError);
      if (refusal.kind === 'payload_too_large') {
        expect(refusal.message).toMatch(/StoreNote.*too large.*proto-max-bulk-len/);
      } else {
        expect(refusal.kind).toBe('queue_unavailable');
        expect(refusal.message).toMatch(/the job is 20\d{5} bytes.*lower the connection's maxPayloadBytes/);
      }
      expect((await storedIds(prefix, hidden.url)).sort()).toEqual(['n0', 'n1', 'n3', 'n4', 'n5', 'warm']);
      // Redis dropped the connection after refusing; the producer reconnects by itself.
      await app.dispatch(new NotePosted('after', SMALL));
      expect((await storedIds(prefix, hidden.url)).sort()).toEqual([
        'after',
        'n0',
        'n1',
        'n3',
        'n4',
        'n5',
        'warm',
      ]);
    } finally {
      await Promise.all(queues.splice(0).map((queue) => queue.close()));
      await Promise.all(apps.splice(0).map((app) => app.close()));
      await hidden.stop();
    }
  });
});
