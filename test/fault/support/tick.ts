import { Event, Listener } from '../../../src/index.js';
import { FAULT_QUEUE } from './fault-harness.js';

/**
 * The worker side of the `fault.tick` event, written into each temp project. The listener logs
 * `start <id>` when an attempt begins and `done <id> ...` when it ends (after sleeping between
 * TICK_MIN_MS and TICK_MAX_MS); the done line also records what a fresh `{}` sees as `polluted`,
 * so a prototype-pollution test can read it back.
 */
export const TICK_LISTENER_SOURCE = `import { Event, Listener, type ListenerContext } from 'herald';
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const out = process.env.FAULT_OUT as string;
const minMs = Number(process.env.TICK_MIN_MS ?? 0);
const maxMs = Number(process.env.TICK_MAX_MS ?? minMs);

@Event('fault.tick')
export class Tick {
  constructor(readonly id: string) {}
}

@Listener(Tick, { queue: '${FAULT_QUEUE}', name: 'RecordTick' })
export class RecordTick {
  async handle(event: Tick, ctx: ListenerContext): Promise<void> {
    appendFileSync(out, 'start ' + event.id + '\\n');
    const ms = minMs + Math.random() * (maxMs - minMs);
    if (ms > 0) await sleep(ms);
    const polluted = String(({} as Record<string, unknown>).polluted);
    appendFileSync(out, 'done ' + event.id + ' attempt=' + ctx.attempt + ' polluted=' + polluted + '\\n');
  }
}
`;

/** The dispatching side of `fault.tick`: same wire names and options; never runs `handle`. */
@Event('fault.tick')
export class Tick {
  constructor(readonly id: string) {}
}

@Listener(Tick, { queue: FAULT_QUEUE, name: 'RecordTick' })
export class RecordTick {
  handle(_event: Tick): void {
    throw new Error('RecordTick runs on the worker process, never in the test process.');
  }
}

/**
 * The dispatching side with 2 tries. An attempt whose worker died, or whose completion Redis
 * never recorded (an outage longer than the lock), counts as an attempt (test/fault/double-kill),
 * so a job must have a second try to be run again instead of failing.
 */
@Listener(Tick, { queue: FAULT_QUEUE, name: 'RecordTick', tries: 2 })
export class RecordTickTwice {
  handle(_event: Tick): void {
    throw new Error('RecordTick runs on the worker process, never in the test process.');
  }
}

/** A well-formed job of the wire format for the `fault.tick` listener, for a test to spoil. */
export function tickJob(id: string): Record<string, unknown> {
  return {
    v: 1,
    dispatchId: `dispatch-${id}`,
    event: 'fault.tick',
    listener: 'RecordTick',
    payload: { $t: 'cls', n: 'fault.tick', v: { id } },
    dispatchedAt: new Date().toISOString(),
    meta: {},
  };
}

/** Event ids of the `done` lines, in file order (duplicates kept). */
export function doneIds(lines: readonly string[]): string[] {
  return lines.filter((line) => line.startsWith('done ')).map((line) => line.split(' ')[1] ?? '');
}

/** Event ids of the `start` lines, in file order (duplicates kept). */
export function startIds(lines: readonly string[]): string[] {
  return lines.filter((line) => line.startsWith('start ')).map((line) => line.split(' ')[1] ?? '');
}
