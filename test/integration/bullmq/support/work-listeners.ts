import { Event, type HeraldWorker, Listener, type ListenerContext } from '../../../../src/index.js';

/**
 * The listeners the herald.work() option tests run, and what they record: a ping that can be held
 * at a gate, a listener that always fails (2 tries), and one that ignores its timeout. Each test
 * file resets the records after every test with {@link resetWorkRecords}.
 */

/** The queue every listener here is on. */
export const QUEUE = 'pings';

/** What the listeners saw, in order: `start n` / `end n aborted=<bool>`. */
export const log: string[] = [];
/** Job numbers whose handler waits for the gate ({@link closeGate}, {@link openGate}) before finishing. */
export const gated = new Set<number>();
let gate: Promise<void> = Promise.resolve();
let releaseGate: () => void = () => {};

/** Makes the gated pings wait until {@link openGate}. */
export function closeGate(): void {
  gate = new Promise((resolve) => {
    releaseGate = resolve;
  });
}

/** Lets the gated pings finish. */
export function openGate(): void {
  releaseGate();
}

/** Clears the log and the gated set and leaves the gate open; call it after each test. */
export function resetWorkRecords(): void {
  log.length = 0;
  gated.clear();
  gate = Promise.resolve();
}

/** Handled by RecordPing; a negative number makes it throw. */
@Event('work-options.ping')
export class Ping {
  constructor(readonly n: number) {}
}

/** Logs `start n`, waits at the gate if n is gated, throws for n < 0, then logs `end n`. */
@Listener(Ping, { queue: QUEUE, name: 'work-options.RecordPing' })
export class RecordPing {
  async handle(event: Ping, ctx: ListenerContext): Promise<void> {
    log.push(`start ${event.n}`);
    if (gated.has(event.n)) await gate;
    if (event.n < 0) throw new Error(`ping ${event.n} refused`);
    log.push(`end ${event.n} aborted=${ctx.signal.aborted}`);
  }
}

/** Handled by AlwaysFails. */
@Event('work-options.doomed')
export class Doomed {
  constructor(readonly n: number) {}
}

/** Fails both of its tries (50 ms apart), logging each attempt. */
@Listener(Doomed, { queue: QUEUE, tries: 2, backoff: 50, name: 'work-options.AlwaysFails' })
export class AlwaysFails {
  handle(event: Doomed, ctx: ListenerContext): void {
    log.push(`fail ${event.n} attempt ${ctx.attempt}`);
    throw new Error(`doomed ${event.n}`);
  }
}

/** Handled by NeverSettles. */
@Event('work-options.stuck')
export class Stuck {
  constructor(readonly n: number) {}
}

/** Ignores its 50 ms timeout and never settles: the worker must stop on its own. */
@Listener(Stuck, { queue: QUEUE, timeout: 50, name: 'work-options.NeverSettles' })
export class NeverSettles {
  async handle(event: Stuck): Promise<void> {
    log.push(`stuck ${event.n}`);
    await new Promise(() => {});
  }
}

/** Every listener above, for createHerald(). */
export const LISTENERS = [RecordPing, AlwaysFails, NeverSettles];

/** The `end …` lines of the log: the pings that finished. */
export function ended(): string[] {
  return log.filter((line) => line.startsWith('end '));
}

/** Polls `check` every 10 ms; the timeout error shows the log. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; log: ${log.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Settles to 'stopped' when the worker stopped within `ms`, else 'running'. */
export function stateAfter(worker: HeraldWorker, ms: number): Promise<'stopped' | 'running'> {
  return Promise.race([
    worker.stopped.then(() => 'stopped' as const),
    new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), ms)),
  ]);
}
