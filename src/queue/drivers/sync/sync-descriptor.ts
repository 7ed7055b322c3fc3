import type { SyncConnectionConfig } from '../../connection-config.js';
import { configuredQueue } from '../../driver.js';
import type { DriverDescriptor } from '../../driver-descriptor.js';
import { SYNC_FEATURES, SyncDriver } from './sync-driver.js';

/** The `sync` driver: queued listeners run inline, inside `dispatch`. */
export const syncDescriptor: DriverDescriptor<SyncConnectionConfig> = {
  driver: 'sync',
  configKeys: ['driver', 'queue', 'maxPayloadBytes'],
  features: SYNC_FEATURES,
  validate() {},
  defaultQueue: configuredQueue,
  create(connection, config, runner) {
    return new SyncDriver(connection, runner, this.defaultQueue(config));
  },
};
