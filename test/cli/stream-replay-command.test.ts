import { describe, expect, it } from 'vitest';
import {
  handled,
  of,
  redis,
  streamListeners,
  useStreamCommandsProject,
} from './support/stream-commands-project.js';

/** `herald stream:replay`: one listener back to the start, an entry id or an ISO time. */

/** Whether Mailer throws (back to true after each test). */
let mailerDown = true;
const { OrderPlaced, Revenue, Mailer } = streamListeners(() => mailerDown);

describe('herald stream:* (real binary, private Redis)', () => {
  const world = useStreamCommandsProject([Revenue, Mailer], () => {
    mailerDown = true;
  });

  it('stream:replay moves only that listener back: from the start, from an entry id, from an ISO time', async () => {
    const { prefix, app, herald, workUntil } = await world();
    mailerDown = false;
    // A few ms apart: replay from a time has millisecond resolution, entries of one ms go together.
    for (const id of ['o1', 'o2', 'o3']) {
      await app.dispatch(new OrderPlaced(id));
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await workUntil('both listeners to handle all', () => handled.length === 6);
    const entries = (await redis.xrange(`${prefix}:orders:0`, '-', '+')).map(([id]) => id);

    const fromStart = await herald(['stream:replay', 'Revenue', '--from', 'start']);
    expect(fromStart.code, fromStart.stderr).toBe(0);
    expect(fromStart.stdout).toContain('Replaying Revenue from the start (orders; 1 partition).');
    handled.length = 0;
    await workUntil('Revenue to handle all again', () => of('Revenue').length === 3);
    expect(of('Revenue').map((each) => each.orderId)).toEqual(['o1', 'o2', 'o3']);
    expect(of('Mailer')).toEqual([]);

    const fromId = await herald(['stream:replay', 'Mailer', '--from', entries[1] as string]);
    expect(fromId.code, fromId.stderr).toBe(0);
    handled.length = 0;
    await workUntil('Mailer to handle o2 and o3 again', () => of('Mailer').length === 2);
    expect(of('Mailer').map((each) => each.orderId)).toEqual(['o2', 'o3']);
    expect(of('Revenue')).toEqual([]);

    const at = new Date(Number((entries[2] as string).split('-')[0])).toISOString();
    const fromTime = await herald(['stream:replay', 'Revenue', '--from', at]);
    expect(fromTime.code, fromTime.stderr).toBe(0);
    handled.length = 0;
    await workUntil('Revenue to handle o3 again', () => of('Revenue').length >= 1);
    expect(of('Revenue').map((each) => each.orderId)).toContain('o3');
    expect(of('Revenue').map((each) => each.orderId)).not.toContain('o1');

    const [bad, missing] = await Promise.all([
      herald(['stream:replay', 'Revenue', '--from', 'yesterday']),
      herald(['stream:replay', 'Revenue']),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected start, an entry id');
    expect(missing.code).toBe(2);
  });
});
