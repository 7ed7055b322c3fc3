import { currentTransaction, type TransactionScope } from '../../transactions/transaction-scope.js';
import type { QueueDriver } from '../driver.js';
import type { QueuedJob } from './queued-job.js';

/**
 * Where a push made inside a transaction goes when the app has an outbox: a row written with the
 * caller's transaction (src/outbox/outbox-writer.ts), moved to the queue by a relay once committed.
 */
export interface OutboxSink {
  /**
   * Writes the job for `connection` as an outbox row of `scope`'s transaction: at once through
   * its SQL, or held until its COMMIT when the scope holds rows.
   */
  write(scope: TransactionScope, connection: string, job: QueuedJob): Promise<void>;
}

/**
 * The one place a dispatch's job or stream append reaches its driver (traced-push.ts calls it
 * for every push). Inside a transaction scope, with an outbox, a push to a shared driver
 * (`bullmq`, `streams`) becomes an outbox row instead; everything else is pushed as before. The
 * in-process drivers (`memory`, `sync`) keep pushing: their jobs live only in this process, so a
 * row some relay (maybe in another process) moves later would protect nothing and could run the
 * job where this process cannot see it.
 */
export function pushOrWrite(
  outbox: OutboxSink | undefined,
  driver: QueueDriver,
  job: QueuedJob,
): Promise<void> {
  if (outbox !== undefined && driver.features.shared) {
    const scope = currentTransaction();
    if (scope !== undefined) return outbox.write(scope, driver.connection, job);
  }
  return driver.push(job);
}

/**
 * Whether a push to `driver` made now becomes an outbox row ({@link pushOrWrite}'s rule): the
 * app has an outbox, the driver is shared, and a transaction scope is open.
 */
export function writesRow(outbox: OutboxSink | undefined, driver: QueueDriver): boolean {
  return outbox !== undefined && driver.features.shared && currentTransaction() !== undefined;
}
