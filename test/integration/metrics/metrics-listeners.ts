import { setTimeout as sleep } from 'node:timers/promises';
import { Event, Listener, type ListenerContext } from '../../../src/index.js';

/** How a Task's attempts end: always completes, fails its first attempt, or fails every attempt. */
export type TaskMode = 'ok' | 'once' | 'always';

@Event('metrics.task')
export class Task {
  constructor(
    readonly n: number,
    readonly mode: TaskMode,
  ) {}
}

/** Runs ~20 ms; throws as its mode says (2 tries, retried at once). */
async function runTask(event: Task, ctx: ListenerContext): Promise<void> {
  await sleep(20);
  if (event.mode === 'always' || (event.mode === 'once' && ctx.attempt === 1)) {
    throw new Error(`task ${event.n} failed`);
  }
}

@Listener(Task, { queue: 'tasks', tries: 2, backoff: 0 })
export class RunTask {
  handle(event: Task, ctx: ListenerContext): Promise<void> {
    return runTask(event, ctx);
  }
}

@Listener(Task, { connection: 'log', tries: 2, backoff: 0, startFrom: 'start' })
export class RunLoggedTask {
  handle(event: Task, ctx: ListenerContext): Promise<void> {
    return runTask(event, ctx);
  }
}

/** 20 tasks that complete, 3 that fail once, 2 that fail for good: 23 processed, 2 failed, 5 released. */
export const TASKS: readonly TaskMode[] = [
  ...Array.from({ length: 20 }, () => 'ok' as const),
  'once',
  'once',
  'once',
  'always',
  'always',
];
