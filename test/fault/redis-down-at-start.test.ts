import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFaultEnv, FAULT_LOCKS, type FaultEnv } from './support/fault-harness.js';
import { TICK_LISTENER_SOURCE } from './support/tick.js';

describe('fault: a worker started while Redis is down', () => {
  let fault: FaultEnv;

  beforeEach(async () => {
    fault = await createFaultEnv({ 'src/listeners/tick.ts': TICK_LISTENER_SOURCE });
  });

  afterEach(() => fault.cleanup());

  it('queue:work --stop-when-empty gives up after unavailableTimeout: exit 1, queue_unavailable naming the address and the fix', async () => {
    await fault.redis.stop();
    const startedAt = Date.now();
    const result = await fault.herald(['queue:work', '--stop-when-empty'], { timeoutMs: 30_000 });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(
      `The worker could not reach Redis at ${fault.redis.host}:${fault.redis.port} (queue connection "redis") within ${FAULT_LOCKS.unavailableTimeout} ms: connect ECONNREFUSED`,
    );
    expect(result.stderr).toContain('Start Redis or fix the connection');
    // It did give Redis the whole unavailableTimeout before giving up.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(FAULT_LOCKS.unavailableTimeout);
  }, 45_000);
});
