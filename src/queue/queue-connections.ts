import { HeraldError } from '../errors.js';
import { messagingSystemOf } from '../telemetry/messaging-attributes.js';
import type { ConnectionConfig } from './connection-config.js';
import type { QueueDriver } from './driver.js';
import { descriptorOf } from './drivers/descriptors.js';
import type { JobRunner } from './runner/job-runner.js';

/**
 * The app's queue connections, created on first use so an app whose listeners are all sync
 * never opens one.
 */
export class QueueConnections {
  readonly #configs: Readonly<Record<string, ConnectionConfig>>;
  readonly #defaultName: string;
  readonly #runner: JobRunner;
  readonly #streamsDefault: string | undefined;
  readonly #drivers = new Map<string, QueueDriver>();
  readonly #runners = new Map<string, JobRunner>();
  readonly #driverHooks: ((name: string, driver: QueueDriver) => void)[] = [];
  #closing: Promise<void> | undefined;

  constructor(
    configs: Readonly<Record<string, ConnectionConfig>>,
    defaultName: string,
    runner: JobRunner,
    streamsDefault?: string,
  ) {
    this.#configs = configs;
    this.#defaultName = defaultName;
    this.#runner = runner;
    this.#streamsDefault = streamsDefault;
  }

  /** `streams.default` from config, when set (stream-connection.ts resolves the rest). */
  get streamsDefault(): string | undefined {
    return this.#streamsDefault;
  }

  /** The default connection's name. */
  get defaultName(): string {
    return this.#defaultName;
  }

  /** The config of a connection, if configured. */
  config(name: string): ConnectionConfig | undefined {
    return Object.hasOwn(this.#configs, name) ? this.#configs[name] : undefined;
  }

  /** Names of every configured connection. */
  names(): string[] {
    return Object.keys(this.#configs);
  }

  /** The driver of a connection (the default one when `name` is undefined). */
  driver(name: string | undefined = this.#defaultName): QueueDriver {
    const existing = this.#drivers.get(name);
    if (existing !== undefined) return existing;
    if (this.#closing !== undefined)
      throw new HeraldError('closed', 'The herald app is closed: no queue connection can be opened.');
    const config = Object.hasOwn(this.#configs, name) ? this.#configs[name] : undefined;
    if (config === undefined) {
      throw new HeraldError(
        'unknown_connection',
        `No queue connection named "${name}": configure it under queue.connections (known: ${this.names().join(', ') || 'none'}).`,
      );
    }
    const driver = descriptorOf(config).create(name, config, this.runnerFor(name));
    this.#drivers.set(name, driver);
    for (const hook of this.#driverHooks) hook(name, driver);
    return driver;
  }

  /** Calls `hook` with each connection's driver once it is made (metrics of in-process drivers). */
  onDriver(hook: (name: string, driver: QueueDriver) => void): void {
    this.#driverHooks.push(hook);
    for (const [name, driver] of this.#drivers) hook(name, driver);
  }

  /**
   * The runner of a connection's jobs: the app's runner, naming the connection's driver in its
   * tracing spans (`messaging.system`). One per connection, made on first use.
   */
  runnerFor(name: string): JobRunner {
    let runner = this.#runners.get(name);
    if (runner === undefined) {
      const driver = this.config(name)?.driver;
      runner = driver === undefined ? this.#runner : this.#runner.forSystem(messagingSystemOf(driver));
      this.#runners.set(name, runner);
    }
    return runner;
  }

  /** Waits until every open in-process connection is idle. */
  async drain(): Promise<void> {
    // A job finishing on one connection may dispatch onto another: loop until all are idle.
    for (let round = 0; round < 100; round++) {
      const drivers = [...this.#drivers.values()];
      await Promise.all(drivers.map((driver) => driver.drain()));
      if (drivers.length === this.#drivers.size && drivers.every((driver) => driver.isIdle())) return;
    }
  }

  /** Closes every opened connection; idempotent. */
  close(): Promise<void> {
    this.#closing ??= Promise.all([...this.#drivers.values()].map((driver) => driver.close())).then(
      () => undefined,
    );
    return this.#closing;
  }
}
