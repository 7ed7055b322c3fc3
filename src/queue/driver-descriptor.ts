import { HeraldError } from '../errors.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { ConnectionConfig } from './connection-config.js';
import type { DriverFeatures, QueueDriver } from './driver.js';
import type { QueueAdmin } from './queue-admin.js';
import type { JobRunner } from './runner/job-runner.js';
import type { StreamAdmin } from './stream-admin.js';

/**
 * Everything herald knows about one driver, beside that driver: the config keys it accepts and
 * how to check them, its defaults, its features, and how to make it. Config validation, the app
 * and the CLI look a driver up by its `driver` name (drivers/descriptors.ts) and ask this; none
 * of them names a driver's class.
 */
export interface DriverDescriptor<C extends ConnectionConfig = ConnectionConfig> {
  /** The `driver` value of its connections. */
  readonly driver: C['driver'];
  /** Every key a connection of this driver may have (`driver` included), in the order docs list them. */
  readonly configKeys: readonly string[];
  /**
   * Listener options only this driver reads (`startFrom` on `streams`); a listener of another
   * connection that sets one is refused at boot with `config_invalid` (create-herald.ts).
   */
  readonly listenerOptions?: readonly string[];
  /**
   * Listener options this driver cannot honour (`delay`, `priority`, `unique` on `streams`, a log
   * read in order): a listener of its connection that sets one is refused at boot with
   * `config_invalid`, rather than the option being silently ignored.
   */
  readonly refusedListenerOptions?: readonly ('delay' | 'priority' | 'unique')[];
  /**
   * Dispatch-time listener methods (`shouldQueue`, `viaQueue`, ...) this driver cannot honour per
   * listener (one streams entry serves every listener of the event): a listener of its connection
   * whose class defines one is refused at boot with `config_invalid`, never silently ignored.
   */
  readonly refusedListenerMethods?: readonly string[];
  /**
   * Checks a listener of one of its connections beyond the lists above (options that cannot mean
   * anything together on this driver, e.g. `broadcast` with `tries`); throws `config_invalid`
   * naming the listener, the option and the fix. Called at boot after those lists are checked.
   */
  checkListener?(definition: ListenerDefinition, connection: string): void;
  /** What the driver supports; the same as its drivers' `features`. */
  readonly features: DriverFeatures;
  /**
   * Checks the driver's own keys of a connection config (`where` is its path, e.g.
   * `queue.connections.redis`); throws `config_invalid` naming the key (see {@link invalidConnection}).
   * The keys every driver shares (`queue`, `maxPayloadBytes`) are checked by validate-config.
   */
  validate(connection: Readonly<Record<string, unknown>>, where: string): void;
  /** The queue of jobs whose listener names none, for a connection config (defaults applied). */
  defaultQueue(config: C): string;
  /** Makes the connection's driver; opens nothing until it is used. */
  create(connection: string, config: C, runner: JobRunner): QueueDriver;
  /**
   * The operator side of a connection whose jobs other processes share (`queue:clear`,
   * `queue:restart`); absent for in-process drivers, whose jobs no other process can reach.
   */
  openAdmin?(connection: string, config: C): QueueAdmin;
  /**
   * The operator side of a log connection (`stream:*` commands, `herald.streams()`, `replay()`...):
   * `streams`, and `memory` standing in for it. `driver` gives the app's own driver of the
   * connection (memory keeps its log there); the CLI, in another process, passes none.
   */
  openStreamAdmin?(connection: string, config: C, driver?: () => QueueDriver): StreamAdmin;
}

/** The `config_invalid` error a descriptor throws for a bad key, worded like every config error. */
export function invalidConnection(key: string, problem: string): never {
  throw new HeraldError('config_invalid', `herald config: "${key}" ${problem}.`);
}
