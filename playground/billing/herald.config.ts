import { defineConfig } from 'herald';
import { Container } from 'inversify';
import { ActivityLog } from '../src/services/activity-log.js';

// The billing service: a second app, with its own classes, that shares nothing with the orders
// app but the `orders` stream on Redis (same URL, same prefix). Run it with
// `herald queue:work --config playground/billing/herald.config.ts`.
const redisUrl = process.env.REDIS_URL || undefined;

export default defineConfig({
  discover: ['src/events', 'src/listeners'],
  container: () => {
    const container = new Container({ autobind: true });
    // The playground's account (not the orders app): both services note what they did in one file.
    container.bind(ActivityLog).toSelf().inSingletonScope();
    return container;
  },
  queue: {
    default: 'log',
    connections: {
      // The same URL and prefix as the orders app's `log` connection: that is the whole contract.
      // A stream lives on Redis only, so `npm run playground` starts billing only with REDIS_URL.
      log: { driver: 'streams', url: redisUrl ?? 'redis://127.0.0.1:6379', prefix: 'herald-playground' },
    },
  },
  paths: { events: 'src/events', listeners: 'src/listeners' },
});
