import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../../src/index.js';
import { RunTask, TASKS, Task } from './metrics-listeners.js';

/** Metrics on `memory`: attempts run in-process without work() and still count. */
describe('herald.stats() on memory', () => {
  let herald: Herald | undefined;
  afterEach(async () => herald?.close());

  it('counts every attempt without a worker; the backlog is the listener own', async () => {
    herald = await createHerald({ listeners: [RunTask] });
    for (const [n, mode] of TASKS.entries()) await herald.dispatch(new Task(n, mode));
    const [during] = (await herald.stats()).listeners;
    expect((during?.waiting ?? 0) + (during?.active ?? 0) + (during?.delayed ?? 0)).toBeGreaterThan(0);
    await herald.drain();
    const [stats] = (await herald.stats({ since: new Date(Date.now() - 60_000) })).listeners;
    expect(stats).toMatchObject({
      listener: 'RunTask',
      connection: 'memory',
      processed: 23,
      failed: 2,
      released: 5,
      waiting: 0,
      active: 0,
      failedTotal: 2,
      backlogOf: 'listener',
    });
    expect(stats?.runtime.p50).toBeGreaterThanOrEqual(15);
  });
});
