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

const ENTRIES = 1000;
const GROUPS = ['Audit', 'Mailer'] as const;
const CLAIM_AFTER = 1000;
/** A few ms per attempt, so 1,000 entries per group last long enough to be killed midway. */
const SLOW = { NOTE_MIN_MS: '3', NOTE_MAX_MS: '12' };

describe('fault (streams): a consumer process killed with SIGKILL mid-run', () => {
  let env: StreamsFaultEnv | undefined;

  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it('every entry is handled by every group; duplicates only among the entries pending at the kill', async () => {
    const fault = await createStreamsFaultEnv(
      { 'src/listeners/notes.ts': recorderSource(GROUPS) },
      { claimAfter: CLAIM_AFTER },
    );
    env = fault;
    const producer = await fault.producer();
    const ids = Array.from({ length: ENTRIES }, (_, index) => `n-${index}`);
    await Promise.all(ids.map((id) => producer.dispatch(new Note(id))));
    expect(await fault.redis.xlen(fault.noteKey)).toBe(ENTRIES);

    const first = fault.spawnHerald(['queue:work', '--concurrency', '10'], SLOW);
    await waitFor(
      'both groups to be well into the log',
      () => GROUPS.every((group) => idsOf(fault.handled(), group).length >= 250),
      { timeoutMs: 20_000, describe: () => `handled ${fault.handled().length}\n${first.stderr()}` },
    );
    first.child.kill('SIGKILL');
    expect((await exitWithin(first, 5000)).signal).toBe('SIGKILL');

    // What the kill left in flight: read by the dead consumer, never acknowledged. Only these
    // may be handled again.
    const inFlight = new Map<string, Set<string>>();
    for (const group of GROUPS) inFlight.set(group, new Set((await fault.pending(group)).ids));
    const beforeSecond = fault.handled();
    // The kill really was mid-run: entries in flight, and the log not yet handled through.
    expect(GROUPS.some((group) => (inFlight.get(group)?.size ?? 0) > 0)).toBe(true);
    expect(GROUPS.every((group) => new Set(idsOf(beforeSecond, group)).size < ENTRIES)).toBe(true);

    const second = fault.spawnHerald(['queue:work', '--concurrency', '10'], SLOW);
    await waitUntilWorking(second);
    const missing = (group: string) => {
      const done = new Set(idsOf(fault.handled(), group));
      return ids.filter((id) => !done.has(id));
    };
    await waitFor('every group to handle every entry', () => GROUPS.every((g) => missing(g).length === 0), {
      timeoutMs: 25_000,
      intervalMs: 100,
      describe: () => GROUPS.map((g) => `${g} missing ${missing(g).length}`).join(', '),
    });
    await waitFor(
      'nothing left pending in either group',
      async () =>
        (await Promise.all(GROUPS.map((group) => fault.pending(group)))).every((p) => p.count === 0),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    // Give a stray claim of an acknowledged entry time to show up as an extra attempt.
    await sleep(CLAIM_AFTER);

    const handled = fault.handled();
    for (const group of GROUPS) {
      const mine = handled.filter((each) => each.listener === group);
      const pendingAtKill = inFlight.get(group) ?? new Set<string>();
      const twice = duplicates(mine.map((each) => each.id));
      console.log(
        `${group}: ${mine.length} attempts for ${ENTRIES} entries, ${pendingAtKill.size} pending at the kill, ${twice.length} handled twice`,
      );
      expect(twice.length).toBeLessThanOrEqual(pendingAtKill.size);
      for (const id of twice) {
        const runs = mine.filter((each) => each.id === id);
        // Once by the killed worker, once more by the second, whose claim counts as attempt 2.
        expect(
          runs.map((each) => each.attempt),
          id,
        ).toEqual([1, 2]);
        expect(pendingAtKill.has(runs[0]?.entry ?? ''), `${id} was not in flight at the kill`).toBe(true);
      }
      // A later attempt by the second worker is a claim: only entries in flight at the kill qualify.
      for (const each of mine.filter((run) => run.pid === second.child.pid && run.attempt > 1))
        expect(pendingAtKill.has(each.entry), `${each.id} claimed but not in flight`).toBe(true);
    }
    expect(await fault.redis.hlen(`${fault.prefix}:notes:attempts:Audit`)).toBe(0);
    expect(await fault.redis.hlen(`${fault.prefix}:notes:attempts:Mailer`)).toBe(0);

    second.child.kill('SIGTERM');
    expect((await exitWithin(second, 10_000)).code).toBe(0);
  }, 60_000);
});
