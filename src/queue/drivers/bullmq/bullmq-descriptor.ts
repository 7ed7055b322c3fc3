import type { BullMqConnectionConfig } from '../../connection-config.js';
import { configuredQueue } from '../../driver.js';
import { type DriverDescriptor, invalidConnection } from '../../driver-descriptor.js';
import { LazyQueueDriver } from '../../lazy-driver.js';
import { lazyAsync } from '../../lazy-load.js';
import type { QueueAdmin } from '../../queue-admin.js';
import { REDIS_CONNECTION_KEYS } from '../../redis/redis-options.js';
import { REDIS_TARGET_KEYS, validateRedisTarget } from '../../redis/redis-target-config.js';
import { BULLMQ_FEATURES } from './bullmq-features.js';

/** The driver's module, with BullMQ and ioredis, loads on first use (lazy-driver.ts says why). */
const loadDriver = () => import('./bullmq-driver.js');

/**
 * The `bullmq` driver: BullMQ queues on Redis. Its other defaults (prefix, timeouts, lock and
 * retention) are read where they apply, beside it in this folder.
 */
export const bullmqDescriptor: DriverDescriptor<BullMqConnectionConfig> = {
  driver: 'bullmq',
  configKeys: [
    'driver',
    'maxPayloadBytes',
    ...REDIS_CONNECTION_KEYS,
    ...REDIS_TARGET_KEYS,
    'prefix',
    'queue',
    'unavailableTimeout',
    'lockDuration',
    'stalledInterval',
    'maxStalledCount',
    'removeOnComplete',
    'removeOnFail',
  ],
  features: BULLMQ_FEATURES,
  validate(connection, where) {
    const { url, port, prefix } = connection;
    if (url !== undefined && (typeof url !== 'string' || !/^rediss?:\/\//.test(url))) {
      invalidConnection(
        `${where}.url`,
        'must be a redis:// or rediss:// URL (is an environment variable unset?)',
      );
    }
    if (port !== undefined && !(Number.isSafeInteger(port) && (port as number) > 0)) {
      invalidConnection(`${where}.port`, 'must be a port number');
    }
    if (prefix !== undefined && (typeof prefix !== 'string' || prefix === '')) {
      invalidConnection(`${where}.prefix`, 'must be a non-empty string');
    }
    validateRedisTarget(connection, where);
  },
  defaultQueue: configuredQueue,
  create: (connection, config) =>
    new LazyQueueDriver(
      { connection, defaultQueue: configuredQueue(config), features: BULLMQ_FEATURES },
      async () => new (await loadDriver()).BullMqDriver(connection, config),
    ),
  openAdmin: (connection, config) =>
    lazyAsync<QueueAdmin>(async () => {
      const [{ BullMqDriver }, { BullMqAdmin }] = await Promise.all([
        loadDriver(),
        import('./bullmq-admin.js'),
      ]);
      return new BullMqAdmin(new BullMqDriver(connection, config));
    }, ['pending', 'clear', 'signalRestart', 'lastRestart']),
};
