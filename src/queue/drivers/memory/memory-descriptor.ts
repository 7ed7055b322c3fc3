import type { MemoryConnectionConfig } from '../../connection-config.js';
import { configuredQueue } from '../../driver.js';
import { type DriverDescriptor, invalidConnection } from '../../driver-descriptor.js';
import { MEMORY_FEATURES, MemoryDriver } from './memory-driver.js';

/** Jobs a memory connection runs at once when its config says nothing. */
const DEFAULT_CONCURRENCY = 10;

/** The `memory` driver: an in-process queue with delays, retries and `failed()`; not durable. */
export const memoryDescriptor: DriverDescriptor<MemoryConnectionConfig> = {
  driver: 'memory',
  configKeys: ['driver', 'queue', 'concurrency', 'maxPayloadBytes'],
  // Standing in for a `streams` connection in tests (stream-connection.ts): one process, so
  // `startFrom` changes nothing and `broadcast` runs each event once; `ordered` runs an ordered
  // listener's jobs of one event key one at a time, in order (ordered-lanes.ts).
  listenerOptions: ['startFrom', 'ordered', 'broadcast'],
  features: MEMORY_FEATURES,
  validate(connection, where) {
    const { concurrency } = connection;
    if (concurrency !== undefined && !(Number.isSafeInteger(concurrency) && (concurrency as number) >= 1)) {
      invalidConnection(`${where}.concurrency`, 'must be a whole number >= 1');
    }
  },
  defaultQueue: configuredQueue,
  create(connection, config, runner) {
    return new MemoryDriver(connection, runner, {
      queue: this.defaultQueue(config),
      concurrency: config.concurrency ?? DEFAULT_CONCURRENCY,
    });
  },
};
