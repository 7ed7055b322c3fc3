import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createHerald, Event, type Herald, Listener, type ListenerContext } from '../../../src/index.js';
import type { AnyClass } from '../../../src/metadata/class-types.js';
import { type RedisServerHandle, startRedisServer } from '../../support/redis-server.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { createTempProject, type TempProject } from '../../support/temp-project.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * What the `stream:list`, `stream:dead`, `stream:retry-dead`, `stream:replay` tests share: the real
 * binary in a project outside the repo, on a private redis-server; the entries are appended and
 * handled by an app in this process with the project's wire names.
 */

/** The project's listeners: two on the `log` streams connection, one on `mem` (memory). */
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

/** A config whose `log` connection is a streams one on `url` (a TS expression), with `mem` beside it. */
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

/** One handling by an in-process listener: which, of what order, which attempt, which entry. */
export interface Handled {
  listener: string;
  orderId: string;
  attempt: number;
  entry: string | undefined;
}

/** What the in-process listeners handled, in order (cleared after each test). */
export const handled: Handled[] = [];

/** What one listener handled. */
export function of(listener: string): Handled[] {
  return handled.filter((each) => each.listener === listener);
}

/**
 * The in-process twins of the project's stream listeners: Revenue records what it handles, Mailer
 * records and then throws while `isMailerDown()` (2 tries, so a down Mailer dead-letters).
 */
export function streamListeners(isMailerDown: () => boolean) {
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
      if (isMailerDown()) throw new Error(`mail server down for ${event.orderId}`);
    }
  }

  return { OrderPlaced, Revenue, Mailer };
}

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

/** One consumer group in `stream:list --json`. */
export interface GroupJson {
  group: string;
  lag: number | null;
  pending: number;
  oldestPendingMs: number | null;
  dead: number;
}
/** One connection in `stream:list --json`. */
export interface ListJson {
  connection: string;
  streams: { stream: string; partition: number; length: number; groups: GroupJson[] }[];
}
/** One dead letter in `stream:dead --json`. */
export interface DeadJson {
  id: string;
  entryId: string;
  attempts: number;
  error: string;
  failedAt: string;
}

/**
 * The client on the private redis-server and the project, set in the beforeAll of
 * {@link useStreamCommandsProject}: read them inside tests only (these are live bindings).
 */
export let redis: Redis;
export let project: TempProject;

/** One test's world: a prefix, the env the binary gets, an app in this process, and helpers. */
export interface StreamWorld {
  readonly prefix: string;
  readonly app: Herald;
  readonly env: Record<string, string>;
  /** Runs `herald <args>` in the project with the world's env. */
  herald(args: readonly string[]): ReturnType<TempProject['herald']>;
  /** Runs a worker until `done`, then stops it. */
  workUntil(what: string, done: () => boolean): Promise<void>;
}

/**
 * Starts the private redis-server and makes the project for the calling describe block, closes
 * the apps, clears {@link handled} and calls `reset` after each test, and returns `world()`, which
 * makes a world of its own for one test with an app of `listeners`.
 */
export function useStreamCommandsProject(
  listeners: readonly AnyClass[],
  reset: () => void = () => {},
): () => Promise<StreamWorld> {
  let server: RedisServerHandle;
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
    reset();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    project?.remove();
  });

  /** A world of its own: a prefix, the env the binary gets, and an app in this process. */
  return async function world(): Promise<StreamWorld> {
    const prefix = uniqueQueueName('streamcli');
    const app = await createHerald({
      listeners: [...listeners],
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
  };
}
