import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Event, HeraldError, Listener, type ListenerContext } from '../../../src/index.js';
import { sleep, useHerald } from './support.js';

@Event('long-durations.report-due')
class ReportDue {
  constructor(readonly id: string) {}
}

const handled: string[] = [];
const failures: string[] = [];

@Listener(ReportDue, { queue: true, delay: 3_000_000_000 })
class SendLater {
  handle(event: ReportDue): void {
    handled.push(`later ${event.id}`);
  }
}

@Listener(ReportDue, { queue: true, tries: 2 })
class ReleaseForAMonth {
  handle(event: ReportDue, ctx: ListenerContext): void {
    handled.push(`release ${event.id} attempt ${ctx.attempt}`);
    ctx.release(3e9);
  }
}

@Listener(ReportDue, { queue: true, timeout: 2_200_000_000 })
class SlowButWithinTimeout {
  async handle(event: ReportDue): Promise<void> {
    await sleep(150);
    handled.push(`slow ${event.id} done`);
  }
  failed(_event: ReportDue, error: Error): void {
    failures.push(error.message);
  }
}

const boot = useHerald();

describe('durations past Node timer limit (2^31 - 1 ms) on the memory connection', () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  beforeEach(() => {
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
    handled.length = 0;
    failures.length = 0;
    warnings.length = 0;
  });

  it('dispatch() - a delay of 3e9 ms keeps the job waiting instead of running it at once', async () => {
    const herald = await boot({ listeners: [SendLater] });
    await herald.dispatch(new ReportDue('r1'));
    await sleep(300);
    expect(handled).toEqual([]);
    expect(warnings.filter((line) => line.startsWith('TimeoutOverflowWarning'))).toEqual([]);
  });

  it('ctx.release(3e9) - the released job waits instead of running again at once', async () => {
    const herald = await boot({ listeners: [ReleaseForAMonth] });
    await herald.dispatch(new ReportDue('r2'));
    await sleep(300);
    expect(handled).toEqual(['release r2 attempt 1']);
    expect(warnings.filter((line) => line.startsWith('TimeoutOverflowWarning'))).toEqual([]);
  });

  it('timeout: 2_200_000_000 - an attempt is not timed out at once', async () => {
    const herald = await boot({ listeners: [SlowButWithinTimeout] });
    await herald.dispatch(new ReportDue('r3'));
    await herald.drain();
    expect(failures).toEqual([]);
    expect(handled).toEqual(['slow r3 done']);
    expect(warnings.filter((line) => line.startsWith('TimeoutOverflowWarning'))).toEqual([]);
  });
});

describe('work({ maxTime }) past Node timer limit on the memory connection', () => {
  it('work({ maxTime: 2_200_000 }) - a worker told to stop after 25 days keeps running', async () => {
    const herald = await boot({ listeners: [SendLater] });
    const worker = await herald.work({ maxTime: 2_200_000 });
    const stopped = await Promise.race([worker.stopped.then(() => true), sleep(300).then(() => false)]);
    await worker.close();
    expect(stopped).toBe(false);
  });
});

describe('durations that cannot work are refused at boot', () => {
  for (const [key, value] of [
    ['delay', 1e16],
    ['timeout', 2 ** 53],
    ['timeout', Number.POSITIVE_INFINITY],
    ['delay', Number.NaN],
    ['backoff', 1e16],
    ['delay', -1],
  ] as const) {
    it(`createHerald() - ${key}: ${value} is config_invalid naming the listener and the key`, async () => {
      @Listener(ReportDue, { queue: true, [key]: value })
      class OutOfRange {
        handle(): void {}
      }
      const error = await boot({ listeners: [OutOfRange] }).catch((caught: unknown) => caught);
      expect(HeraldError.is(error, 'config_invalid')).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`OutOfRange.*"${key}"`, 's'));
      expect((error as Error).message).toMatch(/up to 1000000000000000/);
    });
  }
});
