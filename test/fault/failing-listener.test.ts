import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Event, Listener } from '../../src/index.js';
import { createFaultEnv, FAULT_QUEUE, type FaultEnv } from './support/fault-harness.js';

/** Throws on every attempt until the worker runs with FIXED=1 (the "deployed fix"). */
const CHARGE_LISTENER_SOURCE = `import { Event, Listener, type ListenerContext } from 'herald';
import { appendFileSync } from 'node:fs';

const out = process.env.FAULT_OUT as string;

@Event('fault.charge')
export class Charge {
  constructor(readonly id: string) {}
}

@Listener(Charge, { queue: '${FAULT_QUEUE}', name: 'ChargeCard', tries: 3 })
export class ChargeCard {
  handle(event: Charge, ctx: ListenerContext): void {
    appendFileSync(out, 'attempt ' + ctx.attempt + '/' + ctx.maxTries + ' ' + event.id + '\\n');
    if (process.env.FIXED !== '1') throw new Error('card declined for ' + event.id);
    appendFileSync(out, 'charged ' + event.id + '\\n');
  }

  failed(event: Charge, error: Error): void {
    appendFileSync(out, 'failed ' + event.id + ': ' + error.message + '\\n');
  }
}
`;

@Event('fault.charge')
class Charge {
  constructor(readonly id: string) {}
}

@Listener(Charge, { queue: FAULT_QUEUE, name: 'ChargeCard', tries: 3 })
class ChargeCard {
  handle(_event: Charge): void {
    throw new Error('ChargeCard runs on the worker process, never in the test process.');
  }
}

interface ListedFailedJob {
  id: string;
  queue: string;
  listener: string;
  event: string;
  attempts: number;
  error: string;
}

describe('fault: a queued listener that always throws', () => {
  let fault: FaultEnv;

  beforeEach(async () => {
    fault = await createFaultEnv({ 'src/listeners/charge.ts': CHARGE_LISTENER_SOURCE });
  });

  afterEach(() => fault.cleanup());

  it('is tried exactly 3 times, failed() runs once, queue:failed lists it, and queue:retry runs it after the fix', async () => {
    const herald = await fault.app([ChargeCard]);
    await herald.dispatch(new Charge('c-1'));

    const broken = await fault.herald(['queue:work', '--stop-when-empty', '--json']);
    // --json keeps stdout for job objects; stderr has only the start and stop lines, no error.
    expect(broken.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^\S+Z herald: working redis \(/),
      expect.stringMatching(/^\S+Z herald: stopped after 1 job$/),
    ]);
    expect(broken.code).toBe(0);
    expect(fault.lines()).toEqual([
      'attempt 1/3 c-1',
      'attempt 2/3 c-1',
      'attempt 3/3 c-1',
      'failed c-1: card declined for c-1',
    ]);
    const outcomes = broken.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { outcome: string; attempt: number }).outcome);
    expect(outcomes).toEqual(['retrying', 'retrying', 'failed']);

    const listed = await fault.herald(['queue:failed', '--json']);
    expect(listed.code).toBe(0);
    const failed = JSON.parse(listed.stdout) as ListedFailedJob[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      queue: FAULT_QUEUE,
      listener: 'ChargeCard',
      event: 'fault.charge',
      attempts: 3,
      error: 'card declined for c-1',
    });
    expect(await fault.counts()).toMatchObject({ failed: 1, active: 0, wait: 0, delayed: 0 });

    const id = failed[0]?.id ?? '';
    const retried = await fault.herald(['queue:retry', id]);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain(`Retrying ${id}`);

    const fixed = await fault.herald(['queue:work', '--stop-when-empty', '--json'], { env: { FIXED: '1' } });
    expect(fixed.code).toBe(0);
    expect(fixed.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(fixed.stdout)).toMatchObject({ jobId: id, outcome: 'completed', attempt: 1 });
    // Fresh attempts after the retry, and failed() did not run again.
    expect(fault.lines().slice(4)).toEqual(['attempt 1/3 c-1', 'charged c-1']);
    expect(fault.lines().filter((line) => line.startsWith('failed '))).toHaveLength(1);

    expect(JSON.parse((await fault.herald(['queue:failed', '--json'])).stdout)).toEqual([]);
    expect(await fault.counts()).toMatchObject({ failed: 0, active: 0, wait: 0, delayed: 0, completed: 1 });
  }, 45_000);
});
