import { describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener } from '../../../src/index.js';
import { StreamRetention } from '../../../src/queue/drivers/streams/stream-retention.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { useStreamRedis } from './support/stream-redis.js';

@Event('retention.note')
class Note {
  constructor(readonly id: number) {}
}

@Event('retention.published', { stream: 'published' })
class Published {
  constructor(readonly id: number) {}
}

@Listener(Note, { connection: 'log' })
class Reader {
  handle(): void {}
}

describe('streams driver: retention (maxLen, maxAge) that loses nothing', () => {
  const env = useStreamRedis();

  async function boot(prefix: string, limits: { maxLen?: number; maxAge?: number }): Promise<Herald> {
    const app = await createHerald({
      listeners: [Reader],
      queue: {
        connections: {
          log: { driver: 'streams', url: env.server.url, prefix, unavailableTimeout: 2000, ...limits },
        },
      },
    });
    env.apps.push(app);
    return app;
  }

  /** Appends `count` notes and returns their entry ids, oldest first. */
  async function append(app: Herald, key: string, count: number): Promise<string[]> {
    for (let id = 0; id < count; id++) await app.dispatch(new Note(id));
    return (await env.redis.xrange(key, '-', '+')).map(([id]) => id);
  }

  /** Another service's group that reads `read` entries from the start and acknowledges `acked` of them. */
  async function otherGroup(key: string, group: string, read: number, acked: number): Promise<void> {
    await env.redis.xgroup('CREATE', key, group, '0');
    if (read === 0) return;
    const reply = (await env.redis.xreadgroup('GROUP', group, 'c1', 'COUNT', read, 'STREAMS', key, '>')) as [
      string,
      [string, string[]][],
    ][];
    const ids = (reply[0]?.[1] ?? []).map(([id]) => id);
    if (acked > 0) await env.redis.xack(key, group, ...ids.slice(0, acked));
  }

  it('maxLen trims entries every group has acknowledged, down to maxLen', async () => {
    const prefix = uniqueQueueName('retention');
    const key = `${prefix}:retention.note:0`;
    const app = await boot(prefix, { maxLen: 3 });
    const ids = await append(app, key, 10);
    await otherGroup(key, 'billing', 10, 10);
    const warnings: Error[] = [];
    await app.work({ connection: 'log', onWarning: (warning) => warnings.push(warning) });
    expect((await env.redis.xrange(key, '-', '+')).map(([id]) => id)).toEqual(ids.slice(7));
    expect(warnings).toEqual([]);
  });

  it('maxAge trims entries older than maxAge seconds that every group has acknowledged', async () => {
    const prefix = uniqueQueueName('retention');
    const key = `${prefix}:retention.note:0`;
    const app = await boot(prefix, { maxAge: 60 });
    const old = Date.now() - 120_000;
    await env.redis.xadd(key, `${old}-0`, 'v', '1');
    await env.redis.xadd(key, `${old}-1`, 'v', '1');
    const fresh = await append(app, key, 2);
    await otherGroup(key, 'billing', 10, 10);
    await app.work({ connection: 'log' });
    expect((await env.redis.xrange(key, '-', '+')).map(([id]) => id)).toEqual(fresh.slice(2));
  });

  it('entries a lagging group has not read or acknowledged are kept, and a warning names the group', async () => {
    const prefix = uniqueQueueName('retention');
    const key = `${prefix}:retention.note:0`;
    const app = await boot(prefix, { maxLen: 3, maxAge: 1 });
    const ids = await append(app, key, 10);
    // billing read 4 and acknowledged 2: entries from the third on are pending or unread.
    await otherGroup(key, 'billing', 4, 2);
    const warnings: Error[] = [];
    await app.work({ connection: 'log', onWarning: (warning) => warnings.push(warning) });
    expect((await env.redis.xrange(key, '-', '+')).map(([id]) => id)).toEqual(ids.slice(2));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.name).toBe('StreamRetentionWarning');
    expect(warnings[0]?.message).toContain('group "billing" (lag 6 unread, 2 pending unacknowledged)');
    expect(warnings[0]?.message).toContain('holds back 5 entries');
  });

  it('a group that has read nothing keeps every entry', async () => {
    const prefix = uniqueQueueName('retention');
    const key = `${prefix}:retention.note:0`;
    const app = await boot(prefix, { maxLen: 3 });
    const ids = await append(app, key, 10);
    await otherGroup(key, 'audit', 0, 0);
    const warnings: Error[] = [];
    await app.work({ connection: 'log', onWarning: (warning) => warnings.push(warning) });
    expect((await env.redis.xrange(key, '-', '+')).map(([id]) => id)).toEqual(ids);
    expect(warnings[0]?.message).toContain('group "audit" (lag 10 unread');
  });

  it('a stream the app only publishes to (no listener here reads it) is kept within maxLen by its workers', async () => {
    const prefix = uniqueQueueName('retention');
    const key = `${prefix}:published:0`;
    const app = await boot(prefix, { maxLen: 2 });
    for (let id = 0; id < 6; id++) await app.dispatch(new Published(id));
    const ids = (await env.redis.xrange(key, '-', '+')).map(([id]) => id);
    expect(ids).toHaveLength(6);
    await otherGroup(key, 'billing', 6, 6); // another service read and acknowledged them all
    await app.work({ connection: 'log' });
    expect((await env.redis.xrange(key, '-', '+')).map(([id]) => id)).toEqual(ids.slice(4));
  });

  it('nothing is trimmed when no limit is set', async () => {
    const prefix = uniqueQueueName('retention');
    const key = `${prefix}:retention.note:0`;
    const app = await boot(prefix, {});
    await env.redis.xadd(key, `${Date.now() - 10 * 365 * 86_400_000}-0`, 'v', '1');
    const ids = (await append(app, key, 5)).slice(0);
    await otherGroup(key, 'billing', 10, 10);
    const worker = await app.work({ connection: 'log' });
    await worker.close();
    expect((await env.redis.xrange(key, '-', '+')).map(([id]) => id)).toEqual(ids);
  });

  it('the lagging-group warning comes once per stream per minute, however many rounds run', async () => {
    const prefix = uniqueQueueName('retention');
    const key = `${prefix}:retention.note:0`;
    const app = await boot(prefix, {});
    await append(app, key, 5);
    await otherGroup(key, 'audit', 0, 0);
    const warnings: Error[] = [];
    const retention = new StreamRetention(env.redis, [key], { maxLen: 2 }, (warning) =>
      warnings.push(warning),
    );
    const now = Date.now();
    await retention.round(now);
    await retention.round(now + 5_000);
    expect(warnings).toHaveLength(1);
    await retention.round(now + 61_000);
    expect(warnings).toHaveLength(2);
    expect(await env.redis.xlen(key)).toBe(5);
  });
});
