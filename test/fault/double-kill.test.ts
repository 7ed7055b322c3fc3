import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFaultEnv,
  exitWithin,
  FAULT_QUEUE,
  type FaultEnv,
  faultProjectConfig,
  waitFor,
} from './support/fault-harness.js';
import { HANG_LISTENER_SOURCE, Hang, HangOnce } from './support/hang.js';

interface ListedFailedJob {
  id: string;
  listener: string;
  error: string;
}

describe('fault: a job whose worker is SIGKILLed mid-attempt (a crashed attempt counts as an attempt)', () => {
  let fault: FaultEnv;

  beforeEach(async () => {
    fault = await createFaultEnv({ 'src/listeners/hang.ts': HANG_LISTENER_SOURCE });
  });

  afterEach(() => fault.cleanup());

  /** Starts a worker, waits for `line` in the output, then SIGKILLs the worker. */
  async function killDuring(line: string): Promise<void> {
    const worker = fault.spawnHerald(['queue:work']);
    await waitFor(`"${line}"`, () => fault.lines().includes(line), {
      timeoutMs: 20_000,
      describe: () => `lines: ${fault.lines().join(' | ')}\nstderr: ${worker.stderr()}`,
    });
    worker.child.kill('SIGKILL');
    expect((await exitWithin(worker, 5000)).signal).toBe('SIGKILL');
  }

  it('killed on both of its 2 tries: ctx.attempt counts 1, 2, then failed() runs exactly once without a third handle()', async () => {
    const herald = await fault.app([HangOnce]);
    await herald.dispatch(new Hang('k-1'));

    await killDuring('start k-1 attempt=1');
    await killDuring('start k-1 attempt=2');
    const third = await fault.herald(['queue:work', '--stop-when-empty'], { timeoutMs: 20_000 });
    expect(third.code, third.stderr).toBe(0);

    const lines = fault.lines();
    expect(lines.slice(0, 2)).toEqual(['start k-1 attempt=1', 'start k-1 attempt=2']);
    expect(lines.slice(2)).toHaveLength(1);
    expect(lines[2]).toMatch(
      /^failed k-1: HangOnce has been attempted too many times: attempt 3 would exceed its 2 tries/,
    );

    const listed = await fault.herald(['queue:failed', '--json']);
    const failed = JSON.parse(listed.stdout) as ListedFailedJob[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ listener: 'HangOnce' });
    expect(failed[0]?.error).toMatch(/attempted too many times/);
    expect(await fault.counts()).toMatchObject({ failed: 1, active: 0, wait: 0, delayed: 0 });
  }, 60_000);

  it("with the connection's own maxStalledCount: when BullMQ gives up on a stalled job, failed() still runs once", async () => {
    // maxStalledCount 0: BullMQ fails the job on its first stall, before tries (2) would.
    fault.project.write('herald.config.ts', faultProjectConfig({ maxStalledCount: 0 }));
    const herald = await fault.app([HangOnce]);
    await herald.dispatch(new Hang('k-2'));

    await killDuring('start k-2 attempt=1');
    const second = await fault.herald(['queue:work', '--stop-when-empty'], { timeoutMs: 20_000 });
    expect(second.code, second.stderr).toBe(0);

    const lines = fault.lines();
    expect(lines[0]).toBe('start k-2 attempt=1');
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(/^failed k-2: BullMQ gave up on the job: job stalled more than allowable limit/);
    expect(await fault.counts()).toMatchObject({ failed: 1, active: 0, wait: 0, delayed: 0 });
    const listed = JSON.parse((await fault.herald(['queue:failed', '--json'])).stdout) as ListedFailedJob[];
    expect(listed.map((job) => job.id)).toEqual([expect.stringMatching(new RegExp(`^${FAULT_QUEUE}:`))]);
  }, 60_000);
});
