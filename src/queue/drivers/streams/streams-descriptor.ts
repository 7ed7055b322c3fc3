import type { StreamsConnectionConfig } from '../../connection-config.js';
import { DEFAULT_QUEUE } from '../../driver.js';
import { type DriverDescriptor, invalidConnection } from '../../driver-descriptor.js';
import { LazyQueueDriver } from '../../lazy-driver.js';
import { lazyAsync } from '../../lazy-load.js';
import { REDIS_CONNECTION_KEYS } from '../../redis/redis-options.js';
import { REDIS_TARGET_KEYS, validateRedisTarget } from '../../redis/redis-target-config.js';
import type { StreamAdmin } from '../../stream-admin.js';
import { STREAMS_FEATURES } from './streams-features.js';
import { checkStreamsListener } from './streams-listener-check.js';

/** Most partitions a stream may have: each one is a stream every worker of a group reads. */
const MAX_PARTITIONS = 1024;

function wholeNumber(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/**
 * The `streams` driver: a durable event log on Redis Streams, one consumer group per listener.
 * Its defaults (prefix, partitions, claimAfter, unavailableTimeout) are read in streams-driver.ts.
 */
export const streamsDescriptor: DriverDescriptor<StreamsConnectionConfig> = {
  driver: 'streams',
  configKeys: [
    'driver',
    'maxPayloadBytes',
    ...REDIS_CONNECTION_KEYS,
    ...REDIS_TARGET_KEYS,
    'prefix',
    'partitions',
    'claimAfter',
    'maxLen',
    'maxAge',
    'unavailableTimeout',
  ],
  listenerOptions: ['startFrom', 'ordered', 'broadcast'],
  // `broadcast` with options that need a group (retries, startFrom, ordered) is refused at boot.
  checkListener: checkStreamsListener,
  // A log is read in order, once per group: no per-entry delay, priority or deduplication.
  refusedListenerOptions: ['delay', 'priority', 'unique'],
  // One entry serves every listener of the event, so nothing decided per (dispatch, listener)
  // at dispatch time can travel with it; refused until the worker evaluates them.
  refusedListenerMethods: [
    'shouldQueue',
    'viaQueue',
    'viaConnection',
    'withDelay',
    'backoff',
    'retryUntil',
    'tags',
  ],
  features: STREAMS_FEATURES,
  validate(connection, where) {
    const { url, port, db, prefix, partitions, claimAfter, maxLen, maxAge, unavailableTimeout } = connection;
    if (url !== undefined && (typeof url !== 'string' || !/^rediss?:\/\//.test(url))) {
      invalidConnection(
        `${where}.url`,
        'must be a redis:// or rediss:// URL (is an environment variable unset?)',
      );
    }
    if (port !== undefined && !wholeNumber(port, 1, 65_535)) {
      invalidConnection(`${where}.port`, 'must be a port number');
    }
    if (db !== undefined && !wholeNumber(db, 0)) {
      invalidConnection(`${where}.db`, 'must be a database number (a whole number >= 0)');
    }
    // A ':' or a space in the prefix would blur the key layout (stream-keys.ts); braces are a
    // Redis Cluster hash tag and allowed (every key of the connection then shares its slot).
    if (prefix !== undefined && (typeof prefix !== 'string' || !/^[\w.{}\-/]+$/.test(prefix))) {
      invalidConnection(
        `${where}.prefix`,
        "must be a non-empty string of letters, digits and _ . - / { } (no ':'), e.g. 'herald' or '{herald}'",
      );
    }
    if (partitions !== undefined && !wholeNumber(partitions, 1, MAX_PARTITIONS)) {
      invalidConnection(
        `${where}.partitions`,
        `must be a whole number from 1 to ${MAX_PARTITIONS} (streams per event stream)`,
      );
    }
    if (claimAfter !== undefined && !wholeNumber(claimAfter, 1)) {
      invalidConnection(
        `${where}.claimAfter`,
        'must be a whole number of milliseconds >= 1 (how long an entry of a crashed consumer waits before another claims it)',
      );
    }
    if (maxLen !== undefined && !wholeNumber(maxLen, 1)) {
      invalidConnection(`${where}.maxLen`, 'must be a whole number of entries >= 1');
    }
    if (maxAge !== undefined && !wholeNumber(maxAge, 1)) {
      invalidConnection(`${where}.maxAge`, 'must be a whole number of seconds >= 1');
    }
    if (unavailableTimeout !== undefined && !wholeNumber(unavailableTimeout, 1)) {
      invalidConnection(`${where}.unavailableTimeout`, 'must be a whole number of milliseconds >= 1');
    }
    validateRedisTarget(connection, where);
  },
  // A log has no queues; jobs report the default queue name.
  defaultQueue: () => DEFAULT_QUEUE,
  create: (connection, config) =>
    new LazyQueueDriver(
      { connection, defaultQueue: DEFAULT_QUEUE, features: STREAMS_FEATURES },
      async () => new (await import('./streams-driver.js')).StreamsDriver(connection, config),
    ),
  openStreamAdmin: (connection, config) =>
    lazyAsync<StreamAdmin>(async () => {
      const [{ StreamsDriver }, { StreamsAdmin }] = await Promise.all([
        import('./streams-driver.js'),
        import('./streams-admin.js'),
      ]);
      return new StreamsAdmin(new StreamsDriver(connection, config));
    }, ['describe', 'deadLetters', 'retryDead', 'replay']),
};
