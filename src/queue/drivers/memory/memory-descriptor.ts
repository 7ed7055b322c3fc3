import { HeraldError } from '../../../errors.js';
import type { MemoryConnectionConfig } from '../../connection-config.js';
import { configuredQueue } from '../../driver.js';
import { type DriverDescriptor, invalidConnection } from '../../driver-descriptor.js';
import { MEMORY_FEATURES, MemoryDriver } from './memory-driver.js';
import { MemoryStreamAdmin } from './memory-stream-admin.js';

/** Jobs a memory connection runs at once when its config says nothing. */
const DEFAULT_CONCURRENCY = 10;
/** Entries the memory log keeps per stream when the config says nothing. */
const DEFAULT_MAX_LEN = 10_000;

/** The `memory` driver: an in-process queue with delays, retries and `failed()`; not durable. */
export const memoryDescriptor: DriverDescriptor<MemoryConnectionConfig> = {
  driver: 'memory',
  configKeys: ['driver', 'queue', 'concurrency', 'maxLen', 'maxPayloadBytes'],
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
    const { maxLen } = connection;
    if (maxLen !== undefined && !(Number.isSafeInteger(maxLen) && (maxLen as number) >= 1)) {
      invalidConnection(`${where}.maxLen`, 'must be a whole number of entries >= 1');
    }
  },
  defaultQueue: configuredQueue,
  create(connection, config, runner) {
    return new MemoryDriver(connection, runner, {
      queue: this.defaultQueue(config),
      concurrency: config.concurrency ?? DEFAULT_CONCURRENCY,
      maxLen: config.maxLen ?? DEFAULT_MAX_LEN,
    });
  },
  // The log lives in the app's own driver: only the app (herald.streams(), replay()...) can
  // reach it, never another process such as the CLI.
  openStreamAdmin(connection, _config, driverOf) {
    const driver = driverOf?.();
    if (!(driver instanceof MemoryDriver)) {
      throw new HeraldError(
        'unsupported',
        `The memory connection "${connection}" keeps its log inside the app's process: use herald.streams(), deadLetters(), retryDead() and replay() on that app.`,
      );
    }
    return new MemoryStreamAdmin(driver);
  },
};
