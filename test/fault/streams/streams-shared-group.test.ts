import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { exitWithin, waitFor, waitUntilWorking } from '../support/fault-harness.js';
import {
  createStreamsFaultEnv,
  duplicates,
  idsOf,
  Note,
  recorderSource,
  type StreamsFaultEnv,
} from './support/streams-fault.js';

const ENTRIES = 400;
const CHUNK = 20;
/** A few ms per attempt, so a worker busy with a batch leaves the next one to the other. */
const SLOW = { NOTE_MIN_MS: '4', NOTE_MAX_MS: '12' };
/**
 * The connection's claimAfter. Small on purpose: two live consumers must never claim each
 * other's entries, even when claim rounds run every half second.
 */
const CLAIM_AFTER = 1000;

describe('fault (streams): two worker processes of one consumer group', () => {
  let env: StreamsFaultEnv | undefined;

  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it('share the entries: both handle some, together all, none twice', async () => {
    const fault = await createStreamsFaultEnv(
      { 'src/listeners/notes.ts': recorderSource(['Audit']) },
      { claimAfter: CLAIM_AFTER },
    );
    env = fault;
    const workers = [0, 1].map(() => fault.spawnHerald(['queue:work', '--concurrency', '4'], SLOW));
    await Promise.all(workers.map((worker) => waitUntilWorking(worker)));

    // Appended in chunks over a second or two while both workers read, so each finds entries
    // when it asks, and claim rounds (every claimAfter / 2) run while the other's are pending.
    const producer = await fault.producer();
    const ids = Array.from({ length: ENTRIES }, (_, index) => `s-${index}`);
    for (let start = 0; start < ENTRIES; start += CHUNK) {
      await Promise.all(ids.slice(start, start + CHUNK).map((id) => producer.dispatch(new Note(id))));
      await sleep(40);
    }

    const handled = () => idsOf(fault.handled(), 'Audit');
    await waitFor('every entry handled', () => new Set(handled()).size === ENTRIES, {
      timeoutMs: 20_000,
      intervalMs: 50,
      describe: () => `handled ${new Set(handled()).size}\n${workers.map((w) => w.stderr()).join('\n')}`,
    });
    await waitFor('nothing pending', async () => (await fault.pending('Audit')).count === 0, {
      timeoutMs: 10_000,
    });
    // Give a wrongful claim of an entry that was acknowledged late time to show up as a repeat.
    await sleep(CLAIM_AFTER);

    const runs = fault.handled();
    expect(duplicates(handled())).toEqual([]);
    expect(runs.every((run) => run.attempt === 1)).toBe(true);
    expect(new Set(handled())).toEqual(new Set(ids));
    const byWorker = workers.map((worker) => runs.filter((run) => run.pid === worker.child.pid).length);
    console.log(`entries handled per worker: ${byWorker.join(' + ')} = ${runs.length}`);
    expect(byWorker[0]).toBeGreaterThan(0);
    expect(byWorker[1]).toBeGreaterThan(0);
    expect((byWorker[0] ?? 0) + (byWorker[1] ?? 0)).toBe(ENTRIES);

    for (const worker of workers) worker.child.kill('SIGTERM');
    for (const worker of workers) expect((await exitWithin(worker, 10_000)).code).toBe(0);
  }, 40_000);
});
