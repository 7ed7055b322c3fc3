import { afterEach, describe, expect, it } from 'vitest';
import { timeOfId } from '../../../src/queue/drivers/streams/stream-ids.js';
import { waitFor } from '../support/fault-harness.js';
import {
  createStreamsFaultEnv,
  duplicates,
  idsOf,
  Note,
  recorderSource,
  type StreamsFaultEnv,
} from './support/streams-fault.js';

const BATCH = 100;

describe('fault (streams): herald stream:replay --from an ISO time', () => {
  let env: StreamsFaultEnv | undefined;

  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it("re-delivers exactly the entries appended after T, to that listener's group only", async () => {
    const fault = await createStreamsFaultEnv({
      'src/listeners/notes.ts': recorderSource(['Audit', 'Mailer']),
    });
    env = fault;
    const producer = await fault.producer();
    const before = Array.from({ length: BATCH }, (_, index) => `before-${index}`);
    const after = Array.from({ length: BATCH }, (_, index) => `after-${index}`);

    await Promise.all(before.map((id) => producer.dispatch(new Note(id))));
    const lastBefore = (await fault.redis.xrevrange(fault.noteKey, '+', '-', 'COUNT', 1))[0]?.[0] ?? '';
    // T is the millisecond after the last entry of the first batch; the second batch is appended
    // once the clock has passed it, so the entry ids straddle T.
    const t = timeOfId(lastBefore) + 1;
    await waitFor('the clock to pass T', () => Date.now() > t + 2);
    await Promise.all(after.map((id) => producer.dispatch(new Note(id))));
    const firstAfter =
      (await fault.redis.xrange(fault.noteKey, `(${lastBefore}`, '+', 'COUNT', 1))[0]?.[0] ?? '';
    expect(timeOfId(firstAfter)).toBeGreaterThanOrEqual(t);

    const firstRun = await fault.fault.herald(['queue:work', '--stop-when-empty', '--concurrency', '10'], {
      timeoutMs: 30_000,
    });
    expect(firstRun.code, firstRun.stderr).toBe(0);
    const all = [...before, ...after];
    for (const group of ['Audit', 'Mailer'])
      expect(idsOf(fault.handled(), group).sort()).toEqual([...all].sort());
    const handledBefore = fault.handled().length;

    const iso = new Date(t).toISOString();
    const replay = await fault.fault.herald(['stream:replay', 'Audit', '--from', iso]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain(`Replaying Audit from ${t}-0`);

    const secondRun = await fault.fault.herald(['queue:work', '--stop-when-empty', '--concurrency', '10'], {
      timeoutMs: 30_000,
    });
    expect(secondRun.code, secondRun.stderr).toBe(0);
    const replayed = fault.handled().slice(handledBefore);
    // Exactly the second batch, each once, all by Audit; Mailer's group did not move.
    expect(replayed.every((each) => each.listener === 'Audit')).toBe(true);
    expect(replayed.map((each) => each.id).sort()).toEqual([...after].sort());
    expect(duplicates(replayed.map((each) => each.id))).toEqual([]);
    // A replay is a new delivery, not a retry: attempt 1 again.
    expect(replayed.every((each) => each.attempt === 1)).toBe(true);
    for (const group of ['Audit', 'Mailer'])
      expect(((await fault.redis.xpending(fault.noteKey, group)) as [number])[0]).toBe(0);
  }, 40_000);
});
