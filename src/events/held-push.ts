import type { QueueDriver } from '../queue/driver.js';
import { writesRow } from '../queue/job/outbox-sink.js';
import type { QueueBridge } from '../queue/job/queue-bridge.js';
import type { QueuedJob } from '../queue/job/queued-job.js';
import type { TransactionScope } from '../transactions/transaction-scope.js';
import { pushJob } from './traced-push.js';

/**
 * A push that must wait for the commit (an `afterCommit` listener's job, or the jobs and stream
 * appends of an `afterCommit` event). With an outbox, a push to a shared connection is written
 * now as a row of the open transaction and its promise returned: the same rule (delivered only
 * if the transaction commits, nothing on rollback, a savepoint's rollback included) plus
 * durability, since a push held in memory is lost when the process dies between COMMIT and the
 * push (test/fault/outbox/outbox-after-commit-killed.test.ts). Any other push (no outbox, or an
 * in-process `memory`/`sync` connection) is held in `scope` and made after the commit;
 * undefined then.
 */
export function writeOrHold(
  bridge: QueueBridge,
  scope: TransactionScope,
  prepared: { readonly driver: QueueDriver; readonly job: QueuedJob },
): Promise<void> | undefined {
  const { driver, job } = prepared;
  if (writesRow(bridge.outbox, driver)) return pushJob(bridge, driver, job);
  scope.afterCommit(() => pushJob(bridge, driver, job));
  return undefined;
}
