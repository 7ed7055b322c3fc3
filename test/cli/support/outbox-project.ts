import { Event, Listener } from '../../../src/index.js';

/**
 * A project whose one queued listener (bullmq, on TEST_REDIS_URL under TEST_PREFIX) appends the
 * order id to OUT_FILE, with the outbox on DATABASE_URL. Tests dispatch from their own process
 * with the same wire names ({@link ProjectOrder}, {@link ProjectShip}).
 */
export const OUTBOX_PROJECT_CONFIG = `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/listeners'],
  queue: { default: 'redis', connections: { redis: { driver: 'bullmq', url: process.env.TEST_REDIS_URL, prefix: process.env.TEST_PREFIX } } },
  outbox: { url: process.env.DATABASE_URL, pollInterval: 500 },
});
`;

export const OUTBOX_PROJECT_LISTENERS = `
import { Event, Listener } from 'herald';
import { appendFileSync } from 'node:fs';

@Event('cli-outbox.order')
export class Order { constructor(readonly id: string) {} }

@Listener(Order, { queue: true, name: 'Ship' })
export class Ship {
  handle(event: Order): void {
    appendFileSync(process.env.OUT_FILE ?? 'out.log', event.id + '\\n');
  }
}
`;

@Event('cli-outbox.order')
export class ProjectOrder {
  constructor(readonly id: string) {}
}

@Listener(ProjectOrder, { queue: true, name: 'Ship' })
export class ProjectShip {
  handle(): void {}
}
