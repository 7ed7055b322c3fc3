import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/index.js';
import { exitWithin, waitFor, waitUntilWorking } from '../support/fault-harness.js';
import {
  createStreamsFaultEnv,
  idsOf,
  Note,
  recorderSource,
  type StreamsFaultEnv,
} from './support/streams-fault.js';

const GROUPS = ['Audit', 'Mailer'] as const;
const OUTAGE_MS = 2000;
/**
 * Small, so an entry Redis delivered to the worker just before it died (the XREADGROUP was
 * written to the AOF, its reply never sent) is claimed back soon rather than after 30 s.
 */
const CLAIM_AFTER = 1000;

describe('fault (streams): Redis killed and restarted (AOF) under steady dispatches', () => {
  let env: StreamsFaultEnv | undefined;

  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it('every acknowledged dispatch is handled by every group, and the worker resumes by itself', async () => {
    // appendfsync always: Redis is SIGKILLed (a crash, not a shutdown), and only `always` makes an
    // acknowledged XADD durable across a crash; with everysec up to a second of acknowledged
    // appends may vanish, which Redis allows and this test would then report as lost.
    const fault = await createStreamsFaultEnv(
      { 'src/listeners/notes.ts': recorderSource(GROUPS) },
      { claimAfter: CLAIM_AFTER },
      { appendonly: true, appendfsync: 'always' },
    );
    env = fault;
    const worker = fault.spawnHerald(['queue:work', '--concurrency', '5'], {
      NOTE_MIN_MS: '1',
      NOTE_MAX_MS: '4',
    });
    await waitUntilWorking(worker);
    const producer = await fault.producer();

    let phase: 'before' | 'outage' | 'after' = 'before';
    const resolved: string[] = [];
    let resolvedAfter = 0;
    const rejectedIn = { before: 0, outage: 0, after: 0 };
    const unexpected: unknown[] = [];
    let stop = false;
    let next = 0;
    const produce = async () => {
      while (!stop) {
        const id = `r-${next++}`;
        const startedIn = phase;
        try {
          await producer.dispatch(new Note(id));
          resolved.push(id);
          if (startedIn === 'after') resolvedAfter++;
        } catch (error) {
          // A rejected dispatch may or may not have been appended: it may be missing, or handled.
          if (HeraldError.is(error, 'queue_unavailable')) rejectedIn[phase]++;
          else unexpected.push(error);
          await sleep(10);
        }
        await sleep(2);
      }
    };
    // Two producers, so appends are in flight at the moment Redis dies.
    const producers = Promise.all([produce(), produce()]);
    const progress = () =>
      `phase ${phase}, resolved ${resolved.length}, rejected ${JSON.stringify(rejectedIn)}, ` +
      `handled ${fault.handled().length}\nworker stderr: ${worker.stderr()}`;
    try {
      await waitFor(
        'both groups to handle entries before the outage',
        () => GROUPS.every((group) => idsOf(fault.handled(), group).length >= 50),
        { timeoutMs: 15_000, describe: progress },
      );
      phase = 'outage';
      await fault.fault.redis.kill();
      await sleep(OUTAGE_MS);
      await fault.fault.redis.restart();
      phase = 'after';
      await waitFor('100 acknowledged dispatches after the restart', () => resolvedAfter >= 100, {
        timeoutMs: 15_000,
        describe: progress,
      });
    } finally {
      stop = true;
      await producers;
    }

    expect(unexpected).toEqual([]);
    expect(rejectedIn.before).toBe(0);
    // The outage really hit dispatches.
    expect(rejectedIn.outage).toBeGreaterThan(0);

    // Handled after the restart by the same worker process, never restarted.
    const missing = (group: string) => {
      const done = new Set(idsOf(fault.handled(), group));
      return resolved.filter((id) => !done.has(id));
    };
    await waitFor(
      'every group to handle every acknowledged dispatch',
      () => GROUPS.every((group) => missing(group).length === 0),
      {
        timeoutMs: 20_000,
        intervalMs: 100,
        describe: () =>
          `${GROUPS.map((g) => `${g} missing ${missing(g).length}: ${missing(g).slice(0, 10).join(', ')}`).join('\n')}\n${progress()}`,
      },
    );
    expect(worker.hasExited()).toBe(false);
    await waitFor(
      'nothing left pending',
      async () =>
        (await Promise.all(GROUPS.map((group) => fault.pending(group)))).every((p) => p.count === 0),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    console.log(
      `resolved ${resolved.length}, rejected during the outage ${rejectedIn.outage}, after ${rejectedIn.after}; ` +
        `attempts ${GROUPS.map((g) => `${g} ${idsOf(fault.handled(), g).length}`).join(', ')}`,
    );

    worker.child.kill('SIGTERM');
    expect((await exitWithin(worker, 10_000)).code).toBe(0);
  }, 60_000);
});
