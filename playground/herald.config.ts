import { defineConfig } from 'herald';
import { Container } from 'inversify';
import { ActivityLog } from './src/services/activity-log.js';
import { Outbox } from './src/services/outbox.js';
import { Stock } from './src/services/stock.js';

// With REDIS_URL set, queued listeners go to Redis and a `herald queue:work` process runs them,
// and every OrderPlaced is appended to the `orders` stream (connection `log`), which the billing
// app (playground/billing) reads. Without it they run in-process on the embedded memory queue,
// which also stands in for the stream (nothing reads it then).
const redisUrl = process.env.REDIS_URL || undefined;
// With DATABASE_URL too, orders are saved in PostgreSQL and the jobs and stream entries an order's
// transaction dispatches are written to herald's outbox table in that transaction; the worker's
// relay moves them to Redis once it commits (src/services/orders-database.ts).
const databaseUrl = process.env.DATABASE_URL || undefined;

export default defineConfig({
  discover: ['src/events', 'src/listeners', 'src/subscribers'],
  container: () => {
    const container = new Container({ autobind: true });
    container.bind(Stock).toSelf().inSingletonScope();
    container.bind(Outbox).toSelf().inSingletonScope();
    container.bind(ActivityLog).toSelf().inSingletonScope();
    return container;
  },
  queue: {
    default: redisUrl === undefined ? 'memory' : 'redis',
    connections: {
      memory: { driver: 'memory', concurrency: 5 },
      ...(redisUrl === undefined
        ? {}
        : {
            redis: { driver: 'bullmq' as const, url: redisUrl, prefix: 'herald-playground' },
            log: { driver: 'streams' as const, url: redisUrl, prefix: 'herald-playground' },
          }),
    },
  },
  ...(redisUrl !== undefined && databaseUrl !== undefined ? { outbox: { url: databaseUrl } } : {}),
  paths: { events: 'src/events', listeners: 'src/listeners', subscribers: 'src/subscribers' },
});
