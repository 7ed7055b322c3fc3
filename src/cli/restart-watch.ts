import type { QueueAdmin } from '../queue/queue-admin.js';

/**
 * How often a worker reads the restart signal: one GET per worker every couple of seconds, not
 * one per job, so a busy worker pays nothing per job and a deploy waits about this long.
 */
export const RESTART_POLL_MS = 2000;

/**
 * Watches a connection's restart signal (`herald queue:restart`) for a running worker: remembers
 * the value first read and calls `onRestart` once it changes. A read that fails (Redis down) is
 * skipped; the first successful read is the baseline, so a worker that started during an outage
 * does not take an old signal for a new one. Resolves once the first read is done (so a signal
 * sent after that is seen), with the function that stops watching.
 * Proved by test/cli/queue-restart.test.ts.
 */
export async function watchRestart(
  admin: QueueAdmin,
  onRestart: () => void,
  intervalMs = RESTART_POLL_MS,
): Promise<() => void> {
  let baseline: string | null | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    try {
      const current = await admin.lastRestart();
      if (stopped) return;
      if (baseline === undefined) baseline = current;
      else if (current !== baseline) {
        stopped = true;
        onRestart();
        return;
      }
    } catch {
      // Redis unreachable: the worker reports that itself; try again next time.
    }
    if (!stopped) timer = setTimeout(() => void check(), intervalMs);
  };
  await check();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
