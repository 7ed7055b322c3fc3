import type { ConnectionConfig } from '../connection-config.js';
import type { DriverDescriptor } from '../driver-descriptor.js';
import { bullmqDescriptor } from './bullmq/bullmq-descriptor.js';
import { memoryDescriptor } from './memory/memory-descriptor.js';
import { streamsDescriptor } from './streams/streams-descriptor.js';
import { syncDescriptor } from './sync/sync-descriptor.js';

/** Every driver by its `driver` name: the one place that lists them. */
const DESCRIPTORS: {
  readonly [D in ConnectionConfig['driver']]: DriverDescriptor<Extract<ConnectionConfig, { driver: D }>>;
} = {
  sync: syncDescriptor,
  memory: memoryDescriptor,
  bullmq: bullmqDescriptor,
  streams: streamsDescriptor,
};

/** The `driver` names a connection may use. */
export const DRIVER_NAMES: readonly string[] = Object.keys(DESCRIPTORS);

/**
 * The descriptor of a `driver` value from a config, or undefined for an unknown one. Own keys
 * only: a driver named `'toString'` or `'__proto__'` is unknown, not an Object.prototype member.
 */
export function findDescriptor(driver: unknown): DriverDescriptor | undefined {
  if (typeof driver !== 'string' || !Object.hasOwn(DESCRIPTORS, driver)) return undefined;
  return DESCRIPTORS[driver as ConnectionConfig['driver']];
}

/** The drivers whose listeners may set a driver-only listener option (`startFrom`...). */
export function driversReadingListenerOption(key: string): string[] {
  return Object.values(DESCRIPTORS)
    .filter((descriptor) => descriptor.listenerOptions?.includes(key) === true)
    .map((descriptor) => descriptor.driver);
}

/** The descriptor of a validated connection config. */
export function descriptorOf(config: ConnectionConfig): DriverDescriptor {
  return DESCRIPTORS[config.driver];
}
