import { HeraldError } from '../errors.js';
import { type AfterCommitTask, runOutsideTransaction } from './transaction-scope.js';

/**
 * Runs the work held until a commit, after that commit, one task after another in the order it
 * was held, each outside any transaction scope. A failing task stops none of the others: all
 * run, then this rejects with the first failure as a {@link HeraldError} whose `committed` is
 * true (the transaction's changes are saved; only work after it failed).
 */
export async function runHeld(tasks: readonly AfterCommitTask[]): Promise<void> {
  const failures: unknown[] = [];
  for (const task of tasks) {
    try {
      await runOutsideTransaction(task);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw committedFailure(failures[0], failures.length, tasks.length);
}

/**
 * The error a failure after the commit is reported as: its kind kept when herald made it
 * (`listener_failed`, `queue_unavailable`, ...), else `listener_failed`; its `cause` is what the
 * listener threw, as for a failed dispatch.
 */
function committedFailure(error: unknown, failed: number, total: number): HeraldError {
  const herald = HeraldError.is(error) ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const others =
    total === 1
      ? ''
      : ` ${failed === 1 ? 'It was the only one' : `${failed} of them failed, this is the first`} of ${total} tasks held until the commit; the others ran.`;
  return new HeraldError(
    herald?.kind ?? 'listener_failed',
    `${message} This ran after the transaction committed: its changes are saved, only this after-commit work failed.${others}`,
    { cause: herald?.kind === 'listener_failed' ? herald.cause : error, committed: true },
  );
}
