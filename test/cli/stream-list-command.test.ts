import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import {
  type ListJson,
  of,
  redis,
  streamListeners,
  useStreamCommandsProject,
} from './support/stream-commands-project.js';

/** `herald stream:list`: length, lag, pending, oldest pending age and dead letters per group. */

// Mailer is always down here: its entries end as dead letters.
const { OrderPlaced, Revenue, Mailer } = streamListeners(() => true);

describe('herald stream:* (real binary, private Redis)', () => {
  const world = useStreamCommandsProject([Revenue, Mailer]);

  it('stream:list shows length, lag, pending, oldest pending age and dead letters per group (text and --json)', async () => {
    const { prefix, app, herald, workUntil } = await world();
    for (const id of ['o1', 'o2']) await app.dispatch(new OrderPlaced(id));
    await workUntil(
      'Revenue to handle and Mailer to dead-letter both',
      () => of('Revenue').length === 2 && of('Mailer').length === 4,
    );
    await waitFor('two dead letters', async () => (await redis.xlen(`${prefix}:orders:dead:Mailer`)) === 2);
    for (const id of ['o3', 'o4', 'o5']) await app.dispatch(new OrderPlaced(id));
    // A consumer that took one entry and never acknowledged it.
    await redis.xreadgroup('GROUP', 'Revenue', 'ghost', 'COUNT', 1, 'STREAMS', `${prefix}:orders:0`, '>');

    const json = await herald(['stream:list', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as ListJson[];
    expect(report).toHaveLength(1);
    expect(report[0]?.connection).toBe('log');
    const [orders] = report[0]?.streams ?? [];
    expect(orders).toMatchObject({ stream: 'orders', partition: 0, length: 5 });
    const group = (name: string) => orders?.groups.find((each) => each.group === name);
    expect(group('Revenue')).toMatchObject({ lag: 2, pending: 1, dead: 0 });
    expect(group('Revenue')?.oldestPendingMs).toBeGreaterThanOrEqual(0);
    expect(group('Mailer')).toMatchObject({ lag: 3, pending: 0, oldestPendingMs: null, dead: 2 });

    const text = await herald(['stream:list']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('log (streams)');
    expect(text.stdout).toMatch(/STREAM\s+PARTITION\s+LENGTH\s+GROUP\s+LAG\s+PENDING\s+OLDEST\s+DEAD/);
    expect(text.stdout).toMatch(/orders\s+0\s+5\s+Mailer\s+3\s+0\s+-\s+2/);
    expect(text.stdout).toMatch(/orders\s+0\s+5\s+Revenue\s+2\s+1\s+\d+(ms|s)\s+0/);
  });
});
