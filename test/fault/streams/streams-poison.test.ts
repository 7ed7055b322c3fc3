import { afterEach, describe, expect, it } from 'vitest';
import { Event } from '../../../src/index.js';
import { exitWithin, waitFor, waitUntilWorking } from '../support/fault-harness.js';
import { createStreamsFaultEnv, type StreamsFaultEnv } from './support/streams-fault.js';

const STREAM = 'payments';

/**
 * `Charge` always throws (3 tries, 50 ms backoff) and records each attempt and its failed();
 * `Ledger`, a second group on the same stream, records what it handles: it shows the worker
 * still runs after the bad entries.
 */
const SOURCE = `import { Event, Listener, type ListenerContext } from 'herald';
import { appendFileSync } from 'node:fs';

const out = process.env.FAULT_OUT as string;
const line = (...parts: unknown[]) => appendFileSync(out, parts.join(' ') + '\\n');

@Event('fault.payment', { stream: '${STREAM}' })
export class Payment {
  constructor(readonly id: string) {}
}

@Listener(Payment, { connection: 'log', name: 'Charge', startFrom: 'start', tries: 3, backoff: 50 })
export class Charge {
  handle(event: Payment, ctx: ListenerContext): void {
    line('attempt', 'Charge', event.id, ctx.jobId, ctx.attempt);
    throw new Error('card declined for ' + event.id);
  }

  failed(event: Payment, error: Error): void {
    line('failed', 'Charge', event.id, error.message.replaceAll(' ', '_'));
  }
}

@Listener(Payment, { connection: 'log', name: 'Ledger', startFrom: 'start' })
export class Ledger {
  handle(event: Payment, ctx: ListenerContext): void {
    line('attempt', 'Ledger', event.id, ctx.jobId, ctx.attempt);
  }

  failed(event: Payment): void {
    line('failed', 'Ledger', event.id);
  }
}
`;

@Event('fault.payment', { stream: STREAM })
class Payment {
  constructor(readonly id: string) {}
}

function record(fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let index = 0; index + 1 < fields.length; index += 2)
    out[fields[index] ?? ''] = fields[index + 1] ?? '';
  return out;
}

describe('fault (streams): a poison entry and a malformed entry', () => {
  let env: StreamsFaultEnv | undefined;

  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it('poison: 3 attempts, failed() once, one dead letter, acknowledged; malformed: dead-lettered as bad_payload, the worker goes on', async () => {
    const fault = await createStreamsFaultEnv({ 'src/listeners/payments.ts': SOURCE });
    env = fault;
    const { prefix, redis } = fault;
    const logKey = `${prefix}:${STREAM}:0`;
    const deadKey = (listener: string) => `${prefix}:${STREAM}:dead:${listener}`;
    const lines = () => fault.fault.lines();
    const worker = fault.spawnHerald(['queue:work']);
    await waitUntilWorking(worker);
    const producer = await fault.producer();

    await producer.dispatch(new Payment('p-1'));
    const [[poisonId]] = (await redis.xrange(logKey, '-', '+')) as [[string, string[]]];
    await waitFor('failed() of the poison entry', () => lines().some((l) => l.startsWith('failed Charge')), {
      timeoutMs: 10_000,
      describe: () => `${lines().join('\n')}\n${worker.stderr()}`,
    });
    await waitFor(
      'the poison entry in the dead-letter stream',
      async () => (await redis.xlen(deadKey('Charge'))) === 1,
    );
    const [[, deadFields]] = (await redis.xrange(deadKey('Charge'), '-', '+')) as [[string, string[]]];
    expect(record(deadFields)).toMatchObject({
      event: 'fault.payment',
      listener: 'Charge',
      entryId: poisonId,
      attempts: '3',
      error: 'card declined for p-1',
    });
    expect(record(deadFields).payload).toContain('"p-1"');
    // Dead-lettered and acknowledged in one MULTI: nothing of Charge's is pending any more.
    expect(((await redis.xpending(logKey, 'Charge')) as [number])[0]).toBe(0);

    // Garbage written by something that is not herald: no payload JSON, no dispatchId.
    const garbageId =
      (await redis.xadd(logKey, '*', 'v', '1', 'event', 'fault.payment', 'payload', '{not json')) ?? '';
    await waitFor(
      'the malformed entry in both dead-letter streams',
      async () => (await redis.xlen(deadKey('Charge'))) === 2 && (await redis.xlen(deadKey('Ledger'))) === 1,
    );
    for (const listener of ['Charge', 'Ledger']) {
      const letters = await redis.xrange(deadKey(listener), '-', '+');
      const letter = record(letters.at(-1)?.[1] ?? []);
      expect(letter, listener).toMatchObject({ entryId: garbageId, errorKind: 'bad_payload', attempts: '1' });
    }

    // The worker is still reading: a good entry after the bad ones is handled.
    await producer.dispatch(new Payment('p-2'));
    await waitFor(
      'Ledger to handle the entry after the garbage',
      () => lines().some((l) => l.startsWith('attempt Ledger p-2 ')),
      {
        timeoutMs: 10_000,
        describe: () => `${lines().join('\n')}\n${worker.stderr()}`,
      },
    );
    await waitFor('failed() of p-2', () => lines().some((l) => l.startsWith('failed Charge p-2')), {
      timeoutMs: 10_000,
    });
    await waitFor('nothing pending', async () => {
      const counts = await Promise.all(['Charge', 'Ledger'].map((group) => redis.xpending(logKey, group)));
      return counts.every((summary) => (summary as [number])[0] === 0);
    });
    expect(worker.hasExited()).toBe(false);

    // p-1 ran exactly 3 times (no 4th attempt came in all the time the worker went on), failed()
    // ran once, and neither listener ever ran the garbage nor called failed() for it.
    expect(lines().filter((l) => l.startsWith('attempt Charge p-1 '))).toEqual([
      `attempt Charge p-1 ${poisonId} 1`,
      `attempt Charge p-1 ${poisonId} 2`,
      `attempt Charge p-1 ${poisonId} 3`,
    ]);
    expect(lines().filter((l) => l.startsWith('failed '))).toEqual([
      'failed Charge p-1 card_declined_for_p-1',
      'failed Charge p-2 card_declined_for_p-2',
    ]);
    expect(lines().filter((l) => l.includes(garbageId))).toEqual([]);
    expect(await redis.xlen(deadKey('Charge'))).toBe(3);
    expect(await redis.xlen(deadKey('Ledger'))).toBe(1);
    expect(await redis.zcard(`${prefix}:${STREAM}:retry:Charge`)).toBe(0);
    expect(await redis.hlen(`${prefix}:${STREAM}:attempts:Charge`)).toBe(0);

    worker.child.kill('SIGTERM');
    expect((await exitWithin(worker, 10_000)).code).toBe(0);
  }, 40_000);
});
