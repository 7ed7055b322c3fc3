import { createHerald, Event, type Herald, Listener, type ListenerContext } from '../../../../src/index.js';
import { uniqueQueueName } from '../../../support/redis-url.js';
import type { StreamRedis } from './stream-redis.js';

/** The event every stream-operations test dispatches: appended to the stream `ops`. */
@Event<Step>('ops.step', { stream: 'ops' })
export class Step {
  constructor(readonly n: number) {}
}

/** What a listener handled: `${listener} ${n}@${attempt}`, and the job ids it saw. */
export const handled: string[] = [];
export const jobIds = new Map<string, string>();
/** Steps whose handling by Poisoned throws. */
export const poison = new Set<number>();

function note(listener: string, event: Step, ctx: ListenerContext): void {
  handled.push(`${listener} ${event.n}@${ctx.attempt}`);
  jobIds.set(`${listener} ${event.n}`, ctx.jobId ?? '');
}

@Listener(Step, { connection: 'log', startFrom: 'start' })
export class Projection {
  handle(event: Step, ctx: ListenerContext): void {
    note('Projection', event, ctx);
  }
}

@Listener(Step, { connection: 'log', startFrom: 'start' })
export class Audit {
  handle(event: Step, ctx: ListenerContext): void {
    note('Audit', event, ctx);
  }
}

@Listener(Step, { connection: 'log', startFrom: 'start', tries: 2, backoff: 10 })
export class Poisoned {
  handle(event: Step, ctx: ListenerContext): void {
    note('Poisoned', event, ctx);
    if (poison.has(event.n)) throw new Error(`step ${event.n} is poison`);
  }
}

/** A listener on a sync connection: queued, but on a connection that keeps no log. */
@Listener(Step, { connection: 'sync' })
export class Inline {
  handle(): void {}
}

/** On a bullmq connection (never reached: the tests only ask about it). */
@Listener(Step, { connection: 'jobs' })
export class OnBullmq {
  handle(): void {}
}

/** Not queued at all: runs inside dispatch. */
@Listener(Step)
export class InProcess {
  handle(): void {}
}

export type LogKind = 'memory' | 'streams';

/**
 * Boots an app whose `log` connection is memory (standing in) or streams on the file's private
 * Redis, and starts its worker (a no-op watcher on memory, the consumer groups on streams).
 */
export async function bootOperations(
  kind: LogKind,
  env: StreamRedis,
  listeners: Function[] = [Projection, Audit, Poisoned],
): Promise<Herald> {
  const log =
    kind === 'memory'
      ? { driver: 'memory' as const }
      : {
          driver: 'streams' as const,
          url: env.server.url,
          prefix: uniqueQueueName('ops'),
          unavailableTimeout: 2000,
        };
  const app = await createHerald({
    events: [Step],
    listeners: listeners as never,
    queue: {
      default: 'log',
      connections: { log, jobs: { driver: 'bullmq', url: 'redis://127.0.0.1:1' } },
    },
  });
  env.apps.push(app);
  await app.work({ connection: 'log' });
  return app;
}

/** Clears what the listeners recorded. */
export function resetOperations(): void {
  handled.length = 0;
  jobIds.clear();
  poison.clear();
}
