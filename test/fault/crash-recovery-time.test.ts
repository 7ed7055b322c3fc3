import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFaultEnv,
  exitWithin,
  type FaultEnv,
  faultProjectConfig,
  waitFor,
  waitUntilWorking,
} from './support/fault-harness.js';
import { HANG_LISTENER_SOURCE, Hang, HangOnce } from './support/hang.js';

const LOCK_DURATION = 2000;
/** Generous for a shared, noisy machine; BullMQ's own stalled-check default alone was 30 s. */
const MARGIN_MS = 3000;

describe('fault: how soon a crashed worker’s job comes back', () => {
  let fault: FaultEnv;

  beforeEach(async () => {
    fault = await createFaultEnv({ 'src/listeners/hang.ts': HANG_LISTENER_SOURCE });
  });

  afterEach(() => fault.cleanup());

  it('with only lockDuration set, another worker restarts the job within lockDuration plus a small margin (the default stalledInterval follows lockDuration)', async () => {
    fault.project.write(
      'herald.config.ts',
      faultProjectConfig({ lockDuration: LOCK_DURATION, stalledInterval: undefined }),
    );
    const herald = await fault.app([HangOnce]);
    await herald.dispatch(new Hang('r-1'));

    const first = fault.spawnHerald(['queue:work']);
    await waitFor('the first attempt', () => fault.lines().includes('start r-1 attempt=1'), {
      timeoutMs: 20_000,
      describe: () => first.stderr(),
    });
    const second = fault.spawnHerald(['queue:work']);
    await waitUntilWorking(second);

    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await exitWithin(first, 5000)).signal).toBe('SIGKILL');
    await waitFor(
      'the second worker to restart the job',
      () => fault.lines().includes('start r-1 attempt=2'),
      { timeoutMs: LOCK_DURATION + MARGIN_MS, describe: () => `stderr: ${second.stderr()}` },
    );
    const recoveredMs = Date.now() - killedAt;
    expect(recoveredMs, `recovered after ${recoveredMs} ms`).toBeLessThanOrEqual(LOCK_DURATION + MARGIN_MS);
  }, 60_000);
});
