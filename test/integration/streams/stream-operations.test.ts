import { afterEach, describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/index.js';
import { waitFor } from '../../support/wait-for.js';
import {
  Audit,
  bootOperations,
  handled,
  Inline,
  InProcess,
  jobIds,
  type LogKind,
  OnBullmq,
  Poisoned,
  Projection,
  poison,
  resetOperations,
  Step,
} from './support/operations-app.js';
import { useStreamRedis } from './support/stream-redis.js';

const env = useStreamRedis();
afterEach(resetOperations);

const count = (prefix: string) => handled.filter((each) => each.startsWith(prefix)).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function dispatchSteps(
  app: Awaited<ReturnType<typeof bootOperations>>,
  steps: number[],
): Promise<void> {
  for (const n of steps) await app.dispatch(new Step(n));
}

// One body, two logs: memory standing in (no Redis) must answer as streams does.
describe.each<LogKind>(['memory', 'streams'])('herald stream operations on %s', (kind) => {
  it('replay(listener, { from: Date }) hands exactly the entries from then on to that listener only, same entry ids', async () => {
    const app = await bootOperations(kind, env);
    await dispatchSteps(app, [1, 2]);
    // Entry ids carry their append millisecond: step out of step 2's before taking the time.
    await sleep(5);
    const from = new Date();
    await dispatchSteps(app, [3, 4, 5]);
    await waitFor('every listener to handle the 5 steps', () => handled.length === 15, {
      describe: () => handled.join(', '),
    });
    const firstIds = [3, 4, 5].map((n) => jobIds.get(`Projection ${n}`));
    handled.length = 0;

    await expect(app.replay(Projection, { from })).resolves.toBe(1);
    await waitFor('the replay', () => count('Projection') === 3, { describe: () => handled.join(', ') });
    // A later step, handled by both listeners, proves nothing else was still on its way.
    await dispatchSteps(app, [6]);
    await waitFor('step 6', () => handled.includes('Audit 6@1') && handled.includes('Projection 6@1'));
    const replayed = handled.filter((each) => !each.includes(' 6@'));
    expect(replayed).toEqual(['Projection 3@1', 'Projection 4@1', 'Projection 5@1']);
    expect([3, 4, 5].map((n) => jobIds.get(`Projection ${n}`))).toEqual(firstIds);
    expect(firstIds.every((id) => /^\d+-\d+$/.test(id ?? ''))).toBe(true);
  });

  it('a poison entry leaves one dead letter; retryDead runs it again for that listener only, with fresh tries', async () => {
    poison.add(2);
    const app = await bootOperations(kind, env);
    await dispatchSteps(app, [1, 2, 3]);
    await waitFor('the dead letter', async () => (await app.deadLetters('Poisoned')).length === 1, {
      describe: () => handled.join(', '),
    });
    const [letter] = await app.deadLetters(Poisoned);
    expect(letter).toMatchObject({
      stream: 'ops',
      event: 'ops.step',
      attempts: 2,
      error: 'step 2 is poison',
      entryId: jobIds.get('Poisoned 2'),
    });
    await expect(app.deadLetters(Projection)).resolves.toEqual([]);
    const group = (await app.streams()).flatMap((state) => state.groups).find((g) => g.group === 'Poisoned');
    expect(group?.dead).toBe(1);

    poison.clear();
    const before = handled.length;
    const outcome = await app.retryDead(Poisoned, 'all');
    expect(outcome).toEqual({ retried: [letter?.entryId], trimmed: [], unknown: [] });
    await waitFor('the retry', () => handled.slice(before).includes('Poisoned 2@1'));
    await dispatchSteps(app, [4]);
    await waitFor('step 4', () => count('Poisoned 4') + count('Audit 4') + count('Projection 4') === 3);
    expect(handled.slice(before).filter((each) => each.includes(' 2@'))).toEqual(['Poisoned 2@1']);
    await expect(app.deadLetters(Poisoned)).resolves.toEqual([]);
    await expect(app.retryDead(Poisoned, ['1-0'])).resolves.toEqual({
      retried: [],
      trimmed: [],
      unknown: ['1-0'],
    });
  });

  it('streams() reports the stream length and each listener group', async () => {
    const app = await bootOperations(kind, env);
    await dispatchSteps(app, [1, 2, 3]);
    await waitFor('every listener to handle the 3 steps', () => handled.length === 9);
    const states = await app.streams();
    expect(states.map(({ stream, partition, length }) => ({ stream, partition, length }))).toEqual([
      { stream: 'ops', partition: 0, length: 3 },
    ]);
    const groups = states[0]?.groups ?? [];
    expect(groups.map((group) => group.group).sort()).toEqual(['Audit', 'Poisoned', 'Projection']);
    for (const group of groups)
      expect(group).toMatchObject({ lag: 0, pending: 0, oldestPendingMs: null, dead: 0 });
    await expect(app.streams({ connection: 'log' })).resolves.toHaveLength(1);
  });

  it('bad cases name the problem and the fix', async () => {
    const app = await bootOperations(kind, env, [Projection, Audit, Inline, InProcess, OnBullmq]);
    const failure = async (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );
    const cases: [Promise<unknown>, string, string][] = [
      [app.replay('Nope', { from: 'start' }), 'unknown_listener', 'No listener named "Nope"'],
      [app.deadLetters(Step), 'unknown_listener', 'is no registered listener'],
      [app.deadLetters(Inline), 'invalid_argument', '(driver sync), which keeps no log'],
      [app.retryDead(OnBullmq, 'all'), 'invalid_argument', '(driver bullmq), which keeps no log'],
      [app.replay(InProcess, { from: 'start' }), 'invalid_argument', 'is not queued'],
      [app.replay(Projection, { from: 'yesterday' }), 'invalid_argument', "from must be 'start'"],
      [app.replay(Projection, { from: new Date(Number.NaN) }), 'invalid_argument', 'an invalid Date'],
      [app.streams({ connection: 'nope' }), 'unknown_connection', 'No queue connection named "nope"'],
      [app.streams({ connection: 'jobs' }), 'invalid_argument', 'keeps no log'],
    ];
    for (const [promise, kindOf, message] of cases) {
      const error = await failure(promise);
      expect(HeraldError.is(error, kindOf as never), String(error)).toBe(true);
      expect((error as Error).message).toContain(message);
    }
  });
});
