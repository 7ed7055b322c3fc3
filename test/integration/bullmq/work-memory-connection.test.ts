import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald, HeraldError } from '../../../src/index.js';
import {
  closeGate,
  Doomed,
  ended,
  gated,
  LISTENERS,
  log,
  openGate,
  Ping,
  resetWorkRecords,
  stateAfter,
  waitFor,
} from './support/work-listeners.js';

/** herald.work() options on the in-process memory connection: stopWhenEmpty, close(), validation. */

describe('herald.work() on the memory connection', () => {
  const apps: Herald[] = [];

  afterEach(async () => {
    openGate();
    await Promise.allSettled(apps.splice(0).map((app) => app.close()));
    resetWorkRecords();
  });

  async function memoryApp(): Promise<Herald> {
    const herald = await createHerald({
      listeners: LISTENERS,
      queue: { default: 'memory', connections: { memory: { driver: 'memory' } } },
    });
    apps.push(herald);
    return herald;
  }

  it('stopWhenEmpty - resolves once the in-process queue has drained, not while a job is active', async () => {
    const herald = await memoryApp();
    closeGate();
    gated.add(2);
    for (let n = 1; n <= 3; n++) await herald.dispatch(new Ping(n));
    const worker = await herald.work({ stopWhenEmpty: true });
    await waitFor('job 2 to start', () => log.includes('start 2'));
    expect(await stateAfter(worker, 300)).toBe('running');
    expect(log).not.toContain('end 2 aborted=false');
    openGate();
    await worker.stopped;
    expect(ended().sort()).toEqual(['end 1 aborted=false', 'end 2 aborted=false', 'end 3 aborted=false']);
  });

  it('stopWhenEmpty - waits for a retry scheduled with a backoff delay', async () => {
    const herald = await memoryApp();
    await herald.dispatch(new Doomed(7));
    const worker = await herald.work({ stopWhenEmpty: true });
    await worker.stopped;
    expect(log).toEqual(['fail 7 attempt 1', 'fail 7 attempt 2']);
  });

  it('stopWhenEmpty with nothing queued stops at once; close() is idempotent; invalid options reject', async () => {
    const herald = await memoryApp();
    const idle = await herald.work({ stopWhenEmpty: true });
    expect(await stateAfter(idle, 1000)).toBe('stopped');
    const open = await herald.work();
    expect(await stateAfter(open, 50)).toBe('running');
    await Promise.all([open.close(), open.close()]);
    await open.close();
    expect(await stateAfter(open, 100)).toBe('stopped');
    const error = await herald.work({ concurrency: 0 }).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'invalid_argument')).toBe(true);
    expect((error as Error).message).toMatch(/"concurrency"/);
  });
});
