import { Redis } from 'ioredis';
import { createHerald, Event, type Herald } from '../../../../src/index.js';
import type { StartRedisServerOptions } from '../../../support/redis-server.js';
import { createFaultEnv, type FaultEnv, type HeraldProcess } from '../../support/fault-harness.js';

/** The stream every streams fault test appends `fault.note` events to. */
export const NOTE_STREAM = 'notes';

/** The streams connection of a fault project: the `log` connection, settings from env. */
function streamsProjectConfig(settings: Readonly<Record<string, number>>): string {
  const lines = Object.entries(settings).map(([key, value]) => `        ${key}: ${value},`);
  return `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/listeners'],
  queue: {
    default: 'log',
    connections: {
      log: {
        driver: 'streams',
        url: process.env.FAULT_REDIS_URL,
        prefix: process.env.FAULT_PREFIX,
${lines.join('\n')}
      },
    },
  },
});
`;
}

/**
 * A project listener file: `fault.note` on the `notes` stream and one recording listener per
 * name, each its own consumer group (startFrom 'start', so entries appended before a worker
 * starts count). An attempt sleeps NOTE_MIN_MS..NOTE_MAX_MS, then appends
 * `done <listener> <note id> <entry id> <attempt> <pid>` to FAULT_OUT: a file append is on disk
 * for the test to read even when the worker is SIGKILLed the next instant. `tries: 3`, because a
 * claimed entry of a killed worker runs as attempt 2.
 */
export function recorderSource(listeners: readonly string[]): string {
  const classes = listeners.map(
    (name) => `
@Listener(Note, { connection: 'log', name: '${name}', startFrom: 'start', tries: 3 })
export class ${name} {
  handle(event: Note, ctx: ListenerContext): Promise<void> {
    return record('${name}', event, ctx);
  }
}`,
  );
  return `import { Event, Listener, type ListenerContext } from 'herald';
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const out = process.env.FAULT_OUT as string;
const minMs = Number(process.env.NOTE_MIN_MS ?? 0);
const maxMs = Number(process.env.NOTE_MAX_MS ?? minMs);

@Event('fault.note', { stream: '${NOTE_STREAM}' })
export class Note {
  constructor(readonly id: string) {}
}

async function record(listener: string, event: Note, ctx: ListenerContext): Promise<void> {
  const ms = minMs + Math.random() * (maxMs - minMs);
  if (ms > 0) await sleep(ms);
  appendFileSync(out, ['done', listener, event.id, ctx.jobId, ctx.attempt, process.pid].join(' ') + '\\n');
}
${classes.join('\n')}
`;
}

/** The dispatching side of `fault.note`: same wire name and stream as the project's. */
@Event('fault.note', { stream: NOTE_STREAM })
export class Note {
  constructor(readonly id: string) {}
}

/** One attempt a project listener recorded. */
export interface Handled {
  readonly listener: string;
  readonly id: string;
  readonly entry: string;
  readonly attempt: number;
  readonly pid: number;
}

/** The `done` lines of {@link recorderSource}, in file order. */
export function handledOf(lines: readonly string[]): Handled[] {
  return lines
    .filter((line) => line.startsWith('done '))
    .map((line) => {
      const [, listener = '', id = '', entry = '', attempt = '0', pid = '0'] = line.split(' ');
      return { listener, id, entry, attempt: Number(attempt), pid: Number(pid) };
    });
}

/** Note ids handled by `listener`, duplicates kept. */
export function idsOf(handled: readonly Handled[], listener: string): string[] {
  return handled.filter((each) => each.listener === listener).map((each) => each.id);
}

/** Ids that occur more than once, each once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

/** A streams fault test's world: the fault harness with a streams config, a client, a producer. */
export interface StreamsFaultEnv {
  readonly fault: FaultEnv;
  readonly prefix: string;
  /** A client on the test's redis-server, for inspecting the streams (waits through restarts). */
  readonly redis: Redis;
  /** `<prefix>:notes:0`, the one partition of the notes stream. */
  readonly noteKey: string;
  /** Boots an app in the test process that appends `fault.note` to the same connection. */
  producer(): Promise<Herald>;
  spawnHerald(args: readonly string[], env?: Record<string, string>): HeraldProcess;
  /** Every attempt the project's listeners recorded so far. */
  handled(): Handled[];
  /** Entries read by `group` and not acknowledged yet: [count, ids]. */
  pending(group: string): Promise<{ count: number; ids: string[] }>;
  cleanup(): Promise<void>;
}

/**
 * The fault harness (private redis-server, temp project, tracked `herald` children) with the
 * project on a streams connection `log`: `settings` adds connection keys (claimAfter, ...);
 * `unavailableTimeout` is 1 s so dispatches fail fast while Redis is down.
 */
export async function createStreamsFaultEnv(
  listeners: Record<string, string>,
  settings: Readonly<Record<string, number>> = {},
  redisOptions: StartRedisServerOptions = {},
): Promise<StreamsFaultEnv> {
  const fault = await createFaultEnv(listeners, redisOptions);
  const connection = { unavailableTimeout: 1000, ...settings };
  fault.project.write('herald.config.ts', streamsProjectConfig(connection));
  const redis = new Redis(fault.redis.url, { maxRetriesPerRequest: null });
  redis.on('error', () => {});
  const apps: Herald[] = [];
  const noteKey = `${fault.prefix}:${NOTE_STREAM}:0`;
  return {
    fault,
    prefix: fault.prefix,
    redis,
    noteKey,
    async producer() {
      const app = await createHerald({
        listeners: [],
        queue: {
          connections: {
            log: { driver: 'streams', url: fault.redis.url, prefix: fault.prefix, ...connection },
          },
        },
      });
      apps.push(app);
      return app;
    },
    spawnHerald: (args, env) => fault.spawnHerald(args, env),
    handled: () => handledOf(fault.lines()),
    async pending(group) {
      const rows = (await redis.xpending(noteKey, group, '-', '+', 100_000)) as [string, ...unknown[]][];
      return { count: rows.length, ids: rows.map(([id]) => id) };
    },
    async cleanup() {
      await Promise.allSettled(apps.map((app) => app.close()));
      redis.disconnect();
      await fault.cleanup();
    },
  };
}
