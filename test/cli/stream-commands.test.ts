import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener, type ListenerContext } from '../../src/index.js';
import { type RedisServerHandle, startRedisServer } from '../support/redis-server.js';
import { uniqueQueueName } from '../support/redis-url.js';
import { createTempProject, type TempProject } from '../support/temp-project.js';
import { waitFor } from '../support/wait-for.js';

/**
 * `stream:list`, `stream:dead`, `stream:retry-dead`, `stream:replay`: the real binary in a project
 * outside the repo, on a private redis-server; the entries are appended and handled by an app in
 * this process with the project's wire names.
 */

const LISTENERS = `
import { Event, Listener } from 'herald';

@Event('orders.placed', { stream: 'orders' })
export class OrderPlaced { constructor(readonly orderId: string) {} }

@Listener(OrderPlaced, { connection: 'log', name: 'Revenue', startFrom: 'start' })
export class Revenue { handle(): void {} }

@Listener(OrderPlaced, { connection: 'log', name: 'Mailer', startFrom: 'start', tries: 2, backoff: 10 })
export class Mailer { handle(): void {} }

@Listener(OrderPlaced, { connection: 'mem', name: 'Audit' })
export class Audit { handle(): void {} }
`;

const config = (url: string) => `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/listeners'],
  queue: {
    default: 'log',
    connections: {
      log: { driver: 'streams', url: ${url}, prefix: process.env.TEST_PREFIX, unavailableTimeout: 1000 },
      mem: { driver: 'memory' },
    },
  },
});
`;

const handled: { listener: string; orderId: string; attempt: number; entry: string | undefined }[] = [];
let mailerDown = true;

@Event('orders.placed', { stream: 'orders' })
class OrderPlaced {
  constructor(readonly orderId: string) {}
}

@Listener(OrderPlaced, { connection: 'log', name: 'Revenue', startFrom: 'start' })
class Revenue {
  handle(event: OrderPlaced, ctx: ListenerContext): void {
    handled.push({ listener: 'Revenue', orderId: event.orderId, attempt: ctx.attempt, entry: ctx.jobId });
  }
}

@Listener(OrderPlaced, { connection: 'log', name: 'Mailer', startFrom: 'start', tries: 2, backoff: 10 })
class Mailer {
  handle(event: OrderPlaced, ctx: ListenerContext): void {
    handled.push({ listener: 'Mailer', orderId: event.orderId, attempt: ctx.attempt, entry: ctx.jobId });
    if (mailerDown) throw new Error(`mail server down for ${event.orderId}`);
  }
}

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

interface GroupJson {
  group: string;
  lag: number | null;
  pending: number;
  oldestPendingMs: number | null;
  dead: number;
}
interface ListJson {
  connection: string;
  streams: { stream: string; partition: number; length: number; groups: GroupJson[] }[];
}
interface DeadJson {
  id: string;
  entryId: string;
  attempts: number;
  error: string;
  failedAt: string;
}

describe('herald stream:* (real binary, private Redis)', () => {
  let server: RedisServerHandle;
  let redis: Redis;
  let project: TempProject;
  const apps: Herald[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    project = createTempProject('herald-stream-commands');
    project.write('src/listeners/orders.ts', LISTENERS);
    project.write('herald.config.ts', config('process.env.TEST_REDIS_URL'));
    project.write('down.config.ts', config(`'redis://127.0.0.1:${await closedPort()}'`));
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    handled.length = 0;
    mailerDown = true;
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    project?.remove();
  });

  /** A world of its own: a prefix, the env the binary gets, and an app in this process. */
  async function world() {
    const prefix = uniqueQueueName('streamcli');
    const app = await createHerald({
      listeners: [Revenue, Mailer],
      queue: {
        connections: { log: { driver: 'streams', url: server.url, prefix, unavailableTimeout: 2000 } },
      },
    });
    apps.push(app);
    const env = { TEST_REDIS_URL: server.url, TEST_PREFIX: prefix };
    const herald = (args: readonly string[]) => project.herald(args, { env, timeoutMs: 30_000 });
    /** Runs a worker until `done`, then stops it. */
    const workUntil = async (what: string, done: () => boolean) => {
      const worker = await app.work({ connection: 'log' });
      try {
        await waitFor(what, done, { describe: () => JSON.stringify(handled) });
      } finally {
        await worker.close();
      }
    };
    return { prefix, app, env, herald, workUntil };
  }

  const of = (listener: string) => handled.filter((each) => each.listener === listener);

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

  it('an unknown listener, a listener on another driver and a Redis that is down fail with exit 1 and say what to do', async () => {
    const { herald, env } = await world();
    const commands = [
      ['stream:list'],
      ['stream:dead', 'Mailer'],
      ['stream:retry-dead', 'Mailer', 'all'],
      ['stream:replay', 'Mailer', '--from', 'start'],
    ];
    // Side by side: the Redis-down runs each wait out the connection's unavailableTimeout.
    const [unknown, memory, help, ...results] = await Promise.all([
      herald(['stream:dead', 'Nobody']),
      herald(['stream:replay', 'Audit', '--from', 'start']),
      herald(['stream:retry-dead', '--help']),
      ...commands.map((args) =>
        project.herald(['--config', 'down.config.ts', ...args], { env, timeoutMs: 30_000 }),
      ),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No queued listener named "Nobody" reads a streams connection (log)');
    expect(unknown.stderr).toContain('known here: Revenue, Mailer');
    expect(memory.code).toBe(1);
    expect(memory.stderr).toContain(
      'The listener "Audit" runs on the queue connection "mem" (driver memory), not on a streams connection',
    );

    results.forEach((down, index) => {
      expect(down.code, `${commands[index]?.join(' ')}: ${down.stderr}`).toBe(1);
      expect(down.stderr).toMatch(/Redis at 127\.0\.0\.1:\d+/);
      expect(down.stderr).toContain('queue connection "log"');
      expect(down.stderr).toContain('Check that Redis is running');
    });

    expect(help.code).toBe(0);
    expect(help.stdout).toContain('fresh tries');
  });
});
