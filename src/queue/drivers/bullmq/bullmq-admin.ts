import type { QueueAdmin, QueueJobCount } from '../../queue-admin.js';
import { type AdminTarget, adminCall } from './admin-call.js';
import { clearBullMqQueues } from './bullmq-clear.js';
import type { BullMqDriver } from './bullmq-driver.js';
import { RestartSignal } from './restart-signal.js';

/**
 * What the operator commands do on a bullmq connection besides failed jobs: `queue:clear`
 * deletes jobs that have not started, `queue:restart` signals the workers. Runs on the driver's
 * producer connection, so a Redis that does not answer fails within `unavailableTimeout`.
 */
export class BullMqAdmin implements QueueAdmin {
  readonly #driver: BullMqDriver;
  readonly #target: AdminTarget;
  readonly #restart: RestartSignal;

  constructor(driver: BullMqDriver) {
    this.#driver = driver;
    this.#target = { connection: driver.connection, redis: driver.redis };
    this.#restart = new RestartSignal(
      async () => (await driver.queue(driver.defaultQueue)).getBackend().client,
      driver.prefix,
    );
  }

  /** The connection name. */
  get connection(): string {
    return this.#driver.connection;
  }

  /** Waiting + prioritised + paused + delayed jobs of each queue, without deleting anything. */
  pending(queues: readonly string[]): Promise<QueueJobCount[]> {
    return adminCall(this.#target, 'count waiting jobs', async () => {
      const counts: QueueJobCount[] = [];
      for (const name of queues) {
        const queue = await this.#driver.queue(name);
        const byState = await queue.getJobCounts('wait', 'prioritized', 'delayed');
        counts.push({ queue: name, jobs: Object.values(byState).reduce((sum, n) => sum + n, 0) });
      }
      return counts;
    });
  }

  /** Deletes the jobs of the queues that have not started; see {@link clearBullMqQueues}. */
  clear(queues: readonly string[]): Promise<QueueJobCount[]> {
    return adminCall(this.#target, 'clear the queues', () =>
      clearBullMqQueues((name) => this.#driver.queue(name), queues),
    );
  }

  /** Tells every worker of the connection to finish its active jobs and exit. */
  signalRestart(): Promise<number> {
    return adminCall(this.#target, 'signal the workers to restart', () => this.#restart.send());
  }

  /** The last restart signal, or null; see {@link RestartSignal.read}. */
  lastRestart(): Promise<string | null> {
    return adminCall(this.#target, 'read the restart signal', () => this.#restart.read());
  }

  /** Closes the driver's connections. */
  close(): Promise<void> {
    return this.#driver.close();
  }
}
