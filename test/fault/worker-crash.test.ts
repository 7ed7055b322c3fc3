import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFaultEnv, exitWithin, type FaultEnv, waitFor } from './support/fault-harness.js';
import { doneIds, RecordTickTwice, TICK_LISTENER_SOURCE, Tick } from './support/tick.js';

const JOBS = 500;
/** Each job takes a few ms, so 500 jobs at concurrency 10 last long enough to be killed midway. */
const SLOW_TICKS = { TICK_MIN_MS: '5', TICK_MAX_MS: '25' };

describe('fault: a worker process killed with SIGKILL', () => {
  let fault: FaultEnv;

  beforeEach(async () => {
    fault = await createFaultEnv({ 'src/listeners/tick.ts': TICK_LISTENER_SOURCE });
  });

  afterEach(() => fault.cleanup());

  it("loses no job: another worker takes back the dead worker's active jobs and finishes all 500", async () => {
    const herald = await fault.app([RecordTickTwice]);
    const ids = Array.from({ length: JOBS }, (_, i) => `tick-${i}`);
    await Promise.all(ids.map((id) => herald.dispatch(new Tick(id))));
    expect((await fault.counts()).wait).toBe(JOBS);

    const first = fault.spawnHerald(['queue:work', '--concurrency', '10'], SLOW_TICKS);
    await waitFor('the first worker to finish 100 jobs', () => doneIds(fault.lines()).length >= 100, {
      timeoutMs: 15_000,
      describe: () => `stdout: ${first.stdout().slice(-2000)}\nstderr: ${first.stderr()}`,
    });
    first.child.kill('SIGKILL');
    expect((await exitWithin(first, 5000)).signal).toBe('SIGKILL');

    // The kill really happened mid-stream: jobs are still locked by the dead worker, others wait.
    const orphaned = await fault.counts();
    expect(orphaned.active).toBeGreaterThan(0);
    expect(orphaned.completed).toBeLessThan(JOBS);
    expect(new Set(doneIds(fault.lines())).size).toBeLessThan(JOBS);

    const second = await fault.herald(['queue:work', '--stop-when-empty', '--concurrency', '10'], {
      env: SLOW_TICKS,
      timeoutMs: 30_000,
    });
    expect(second.stderr).not.toMatch(/error/i);
    expect(second.code).toBe(0);

    const done = new Set(doneIds(fault.lines()));
    expect(ids.filter((id) => !done.has(id))).toEqual([]);
    // The jobs the kill interrupted ran again as their second attempt.
    const retried = fault.lines().filter((line) => line.startsWith('done ') && line.includes(' attempt=2 '));
    expect(retried.length).toBe(orphaned.active);
    const after = await fault.counts();
    expect(after).toMatchObject({ active: 0, wait: 0, prioritized: 0, delayed: 0, failed: 0 });
    expect(after.completed).toBe(JOBS);
  }, 60_000);
});
