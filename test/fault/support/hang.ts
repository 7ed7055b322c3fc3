import { Event, Listener } from '../../../src/index.js';
import { FAULT_QUEUE } from './fault-harness.js';

/**
 * The worker side of the `fault.hang` event, written into each temp project: `Hang` logs
 * `start <id> attempt=<n>` and then sleeps (HANG_MS, default a minute) so a test can kill its
 * worker mid-attempt; `failed()` logs `failed <id>: <message>`. It ignores `ctx.signal`. A job's
 * tries and timeout are what the dispatching side's options said (each test's own class).
 */
export const HANG_LISTENER_SOURCE = `import { Event, Listener, type ListenerContext } from 'herald';
import { appendFileSync } from 'node:fs';

const out = process.env.FAULT_OUT as string;
const hangMs = Number(process.env.HANG_MS ?? 60_000);

@Event('fault.hang')
export class Hang {
  constructor(readonly id: string) {}
}

@Listener(Hang, { queue: '${FAULT_QUEUE}', name: 'HangOnce', tries: 2 })
export class HangOnce {
  async handle(event: Hang, ctx: ListenerContext): Promise<void> {
    appendFileSync(out, 'start ' + event.id + ' attempt=' + ctx.attempt + '\\n');
    // Ignores ctx.signal on purpose; the interval keeps the process busy the way real work does.
    await new Promise<void>((resolve) => {
      const beat = setInterval(() => {}, 1000);
      setTimeout(() => { clearInterval(beat); resolve(); }, hangMs);
    });
    appendFileSync(out, 'done ' + event.id + ' attempt=' + ctx.attempt + '\\n');
  }

  failed(event: Hang, error: Error): void {
    appendFileSync(out, 'failed ' + event.id + ': ' + error.message + '\\n');
  }
}
`;

/** The dispatching side of `fault.hang`: same wire names; never runs `handle`. */
@Event('fault.hang')
export class Hang {
  constructor(readonly id: string) {}
}

@Listener(Hang, { queue: FAULT_QUEUE, name: 'HangOnce', tries: 2 })
export class HangOnce {
  handle(_event: Hang): void {
    throw new Error('HangOnce runs on the worker process, never in the test process.');
  }
}
