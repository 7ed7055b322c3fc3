import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HeraldLogger, JobReport } from '../../../src/index.js';
import { withLogger } from '../../../src/queue/worker/logged-work-options.js';
import { RecordLogger } from './support/record-logger.js';

const report: JobReport = {
  time: new Date(),
  queue: 'emails',
  jobId: 'emails:7',
  listener: 'SendWelcome',
  event: 'user.signed-up',
  attempt: 3,
  durationMs: 12,
  startedAt: Date.now() - 12,
  outcome: 'failed',
  error: 'smtp down',
};

/** What the worker callbacks of `withLogger` get called with by a driver. */
function callbacksOf(options: ReturnType<typeof withLogger>) {
  const { onJob, onError, onWarning } = options;
  if (onJob === undefined || onError === undefined || onWarning === undefined)
    throw new Error('callbacks missing');
  return { onJob, onError, onWarning };
}

describe('withLogger: a worker logging through a pino-shaped logger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('worker errors go to logger.error under pino’s `err` key, each distinct message once per quiet period', () => {
    const logger = new RecordLogger();
    const seen: Error[] = [];
    const { onError } = callbacksOf(withLogger({ onError: (error) => seen.push(error) }, logger));
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6390');
    onError(refused);
    onError(new Error('connect ECONNREFUSED 127.0.0.1:6390'));
    onError(new Error('READONLY You cannot write against a read only replica.'));
    expect(seen).toHaveLength(3);
    expect(logger.calls.map((call) => [call.level, call.message])).toEqual([
      ['error', 'worker error: connect ECONNREFUSED 127.0.0.1:6390'],
      ['error', 'worker error: READONLY You cannot write against a read only replica.'],
    ]);
    expect(logger.calls[0]?.fields).toEqual({ err: refused });
  });

  it('warnings go to logger.warn with their code, instead of process.emitWarning', () => {
    const emitted = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const logger = new RecordLogger();
    const { onWarning } = callbacksOf(withLogger({}, logger));
    // The shape streams retention hands the worker (stream-retention.ts).
    const lag = Object.assign(new Error('Stream "orders" is 10 entries over its maxLen 5'), {
      name: 'StreamRetentionWarning',
      code: 'HERALD_STREAM_LAG',
    });
    onWarning(lag);
    onWarning(new Error('something without a code'));
    expect(emitted).not.toHaveBeenCalled();
    expect(logger.calls).toEqual([
      { level: 'warn', fields: { code: 'HERALD_STREAM_LAG' }, message: lag.message },
      { level: 'warn', fields: { code: 'HERALD_WARNING' }, message: 'something without a code' },
    ]);
  });

  it('the caller’s onJob runs too, and the record carries the span ids of a traced report', () => {
    const logger = new RecordLogger();
    const heard: JobReport[] = [];
    const { onJob } = callbacksOf(withLogger({ onJob: (each) => heard.push(each) }, logger));
    const traced = {
      ...report,
      outcome: 'completed' as const,
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
    };
    delete (traced as { error?: string }).error;
    onJob(traced);
    expect(heard).toEqual([traced]);
    expect(logger.calls).toEqual([
      {
        level: 'info',
        fields: {
          queue: 'emails',
          listener: 'SendWelcome',
          event: 'user.signed-up',
          jobId: 'emails:7',
          attempt: 3,
          durationMs: 12,
          outcome: 'completed',
          trace_id: 'a'.repeat(32),
          span_id: 'b'.repeat(16),
        },
        message: 'emails SendWelcome user.signed-up job emails:7 attempt 3 12ms completed',
      },
    ]);
  });

  it('a console-like logger (plain functions taking any arguments) works', () => {
    const lines: unknown[][] = [];
    const consoleLike: HeraldLogger = {
      info: (...args: unknown[]) => lines.push(['info', ...args]),
      warn: (...args: unknown[]) => lines.push(['warn', ...args]),
      error: (...args: unknown[]) => lines.push(['error', ...args]),
    };
    callbacksOf(withLogger({}, consoleLike)).onJob(report);
    expect(lines).toEqual([
      [
        'error',
        expect.objectContaining({ outcome: 'failed', error: 'smtp down' }),
        expect.stringContaining('failed'),
      ],
    ]);
  });

  it('a logger that throws fails no job: one HERALD_LOGGER_FAILED process warning, later throws are quiet', () => {
    const emitted = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const broken: HeraldLogger = {
      info() {},
      warn() {},
      error() {
        throw new Error('transport closed');
      },
    };
    const { onJob } = callbacksOf(withLogger({}, broken));
    expect(() => onJob(report)).not.toThrow();
    expect(() => onJob(report)).not.toThrow();
    expect(emitted).toHaveBeenCalledTimes(1);
    expect(String(emitted.mock.calls[0]?.[0])).toContain('threw on error() (transport closed)');
    expect(emitted.mock.calls[0]?.[1]).toEqual({ code: 'HERALD_LOGGER_FAILED' });
  });
});
