import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServerHandle, startRedisServer } from '../support/redis-server.js';
import { createTempProject, type TempProject } from '../support/temp-project.js';

/**
 * `herald queue:work` on a streams connection, as an operator reads it: a consumer group that
 * holds retention back is a timestamped warning line, not a "worker error", and a stream the app
 * only publishes is trimmed by its worker.
 */

const EVENTS = `
import { Event, Listener } from 'herald';

@Event('orders.placed', { stream: 'orders' })
export class OrderPlaced { constructor(readonly orderId: string) {} }

@Event('orders.shipped', { stream: 'shipments' })
export class OrderShipped { constructor(readonly orderId: string) {} }

@Listener(OrderPlaced, { connection: 'log', name: 'Revenue', startFrom: 'start' })
export class Revenue { handle(): void {} }
`;

const CONFIG = `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/events'],
  queue: {
    default: 'log',
    connections: { log: { driver: 'streams', url: process.env.TEST_REDIS_URL, prefix: 'wl', maxLen: 2 } },
  },
});
`;

describe('herald queue:work on a streams connection: retention lines (real binary, private Redis)', () => {
  let server: RedisServerHandle;
  let redis: Redis;
  let project: TempProject;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    project = createTempProject('herald-stream-work-log');
    project.write('src/events/orders.ts', EVENTS);
    project.write('herald.config.ts', CONFIG);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    project?.remove();
  });

  it('a lagging group is a timestamped warning naming it; a published-only stream is trimmed', async () => {
    for (let index = 0; index < 5; index++) {
      await redis.xadd('wl:orders:0', '*', 'v', '1');
      await redis.xadd('wl:shipments:0', '*', 'v', '1');
    }
    // Another service's group that has read nothing holds every orders entry back.
    await redis.xgroup('CREATE', 'wl:orders:0', 'billing', '0');
    const result = await project.herald(['queue:work', 'log', '--stop-when-empty'], {
      env: { TEST_REDIS_URL: server.url, NO_COLOR: '1' },
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(0);
    const warning = result.stderr.split('\n').find((line) => line.includes('holds back'));
    expect(warning).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z herald: warning: Stream "wl:orders:0" is 3 entries over its maxLen 2: group "billing"/,
    );
    expect(result.stderr).not.toContain('worker error');
    expect(await redis.xlen('wl:orders:0')).toBe(5);
    expect(await redis.xlen('wl:shipments:0')).toBe(2);
  });
});
