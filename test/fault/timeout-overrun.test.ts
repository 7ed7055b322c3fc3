import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Listener } from '../../src/index.js';
import { createFaultEnv, exitWithin, FAULT_QUEUE, type FaultEnv, waitFor } from './support/fault-harness.js';
import { HANG_LISTENER_SOURCE, Hang } from './support/hang.js';
import { RecordTick, TICK_LISTENER_SOURCE, Tick } from './support/tick.js';

/** The dispatching side: one try, a 300 ms timeout the worker's listener ignores. */
@Listener(Hang, { queue: FAULT_QUEUE, name: 'HangOnce', tries: 1, timeout: 300 })
class HangPastTimeout {
  handle(_event: Hang): void {
    throw new Error('HangOnce runs on the worker process, never in the test process.');
  }
}

/** The default `timeoutGrace` (work-options.ts). */
const GRACE_MS = 5000;

describe('fault: a handler that ignores its timeout', () => {
  let fault: FaultEnv;

  beforeEach(async () => {
    fault = await createFaultEnv({
      'src/listeners/hang.ts': HANG_LISTENER_SOURCE,
      'src/listeners/tick.ts': TICK_LISTENER_SOURCE,
    });
  });

  afterEach(() => fault.cleanup());

  it('makes queue:work stop taking jobs, finish the others and exit 1 after the grace period; the job then fails once, its lost attempt counted', async () => {
    const herald = await fault.app([HangPastTimeout, RecordTick]);
    await herald.dispatch(new Hang('h-1'));
    // Still running when the grace period ends: the worker must let it finish before exiting.
    await herald.dispatch(new Tick('slow'));

    const startedAt = Date.now();
    const worker = fault.spawnHerald(['queue:work', '--concurrency', '3'], {
      TICK_MIN_MS: String(GRACE_MS + 2500),
    });
    await waitFor('the hanging attempt', () => fault.lines().includes('start h-1 attempt=1'), {
      timeoutMs: 20_000,
      describe: () => worker.stderr(),
    });
    // Taken after the hang started, while the worker still takes jobs: it runs beside the others.
    await herald.dispatch(new Tick('quick'));
    const exit = await exitWithin(worker, 40_000);
    expect(exit.code, worker.stderr()).toBe(1);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(GRACE_MS);
    expect(worker.stderr()).toContain(
      'HangOnce (job faults:1) ignored its timeout: it was still running 5000 ms after ctx.signal aborted',
    );
    const lines = fault.lines();
    expect(lines).toContain('done slow attempt=1 polluted=undefined');
    expect(lines).toContain('done quick attempt=1 polluted=undefined');
    expect(lines.some((line) => line.startsWith('done h-1'))).toBe(false);
    expect(lines.some((line) => line.startsWith('failed h-1'))).toBe(false);

    // The next worker gets the job back once the dead worker's lock expired: its one try was
    // used, so failed() runs (once) instead of a second handle().
    const next = await fault.herald(['queue:work', '--stop-when-empty'], { timeoutMs: 20_000 });
    expect(next.code, next.stderr).toBe(0);
    const after = fault.lines();
    expect(after.filter((line) => line.startsWith('start h-1'))).toEqual(['start h-1 attempt=1']);
    expect(after.filter((line) => line.startsWith('failed h-1'))).toEqual([
      expect.stringMatching(
        /^failed h-1: HangOnce has been attempted too many times: attempt 2 would exceed its 1 tries/,
      ),
    ]);
    expect(await fault.counts()).toMatchObject({ active: 0, wait: 0, completed: 2, failed: 1 });
  }, 90_000);
});
