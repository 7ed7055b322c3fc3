import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import {
  type DeadJson,
  handled,
  of,
  redis,
  streamListeners,
  useStreamCommandsProject,
} from './support/stream-commands-project.js';

/** `herald stream:dead` lists dead letters; `stream:retry-dead` runs them again for that listener. */

/** Whether Mailer throws (back to true after each test). */
let mailerDown = true;
const { OrderPlaced, Revenue, Mailer } = streamListeners(() => mailerDown);

describe('herald stream:* (real binary, private Redis)', () => {
  const world = useStreamCommandsProject([Revenue, Mailer], () => {
    mailerDown = true;
  });

  it('stream:dead lists the dead letters; stream:retry-dead runs one again for that listener only, with fresh tries', async () => {
    const { prefix, app, herald, workUntil } = await world();
    for (const id of ['o1', 'o2']) await app.dispatch(new OrderPlaced(id));
    await workUntil(
      'Mailer to give up on both',
      () => of('Revenue').length === 2 && of('Mailer').length === 4,
    );
    await waitFor('two dead letters', async () => (await redis.xlen(`${prefix}:orders:dead:Mailer`)) === 2);

    // Read-only runs, side by side (an unknown id retries nothing).
    const [listed, text, none, unknown] = await Promise.all([
      herald(['stream:dead', 'Mailer', '--json']),
      herald(['stream:dead', 'Mailer']),
      herald(['stream:dead', 'Revenue']),
      herald(['stream:retry-dead', 'Mailer', '1-1']),
    ]);
    expect(listed.code, listed.stderr).toBe(0);
    const letters = JSON.parse(listed.stdout) as DeadJson[];
    const entries = (await redis.xrange(`${prefix}:orders:0`, '-', '+')).map(([id]) => id);
    expect(letters.map((letter) => letter.entryId)).toEqual(entries);
    expect(letters[0]).toMatchObject({ attempts: 2, error: 'mail server down for o1' });
    expect(Number.isNaN(Date.parse(letters[0]?.failedAt ?? ''))).toBe(false);
    expect(text.stdout).toContain(`${entries[0]}  `);
    expect(text.stdout).toContain('attempts 2');
    expect(text.stdout).toContain('mail server down for o2');
    expect(none.stdout).toContain('No dead letters for Revenue.');

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no dead letter of Mailer with id 1-1');

    const retried = await herald(['stream:retry-dead', 'Mailer', entries[0] as string]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toContain(`Retrying ${entries[0]}`);
    handled.length = 0;
    mailerDown = false;
    await workUntil('Mailer to run the retried entry', () => of('Mailer').length === 1);
    expect(of('Mailer')).toEqual([{ listener: 'Mailer', orderId: 'o1', attempt: 1, entry: entries[0] }]);
    expect(of('Revenue')).toEqual([]);
    const left = JSON.parse((await herald(['stream:dead', 'Mailer', '--json'])).stdout) as DeadJson[];
    expect(left.map((letter) => letter.entryId)).toEqual([entries[1]]);
    expect(await redis.xpending(`${prefix}:orders:0`, 'Mailer')).toEqual([0, null, null, null]);

    // An entry trimmed from the log cannot come back: reported, its dead letter kept.
    await redis.xdel(`${prefix}:orders:0`, entries[1] as string);
    const trimmed = await herald(['stream:retry-dead', 'Mailer', 'all']);
    expect(trimmed.code).toBe(1);
    expect(trimmed.stderr).toContain(`${entries[1]} no longer in the stream`);
    expect(await redis.xlen(`${prefix}:orders:dead:Mailer`)).toBe(1);
  });
});
