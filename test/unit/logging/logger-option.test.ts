import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createHerald,
  Event,
  type Herald,
  HeraldError,
  type JobReport,
  Listener,
} from '../../../src/index.js';
import { RecordLogger } from './support/record-logger.js';

@Event('logger.signed-up')
class SignedUp {
  constructor(readonly email: string) {}
}

@Listener(SignedUp, { queue: 'emails', tries: 2, backoff: 0 })
class SendWelcome {
  handle(event: SignedUp): void {
    if (event.email === '') throw new Error('no address');
  }
}

const memory = { connections: { memory: { driver: 'memory' as const } } };

describe('the logger option (memory connection)', () => {
  const apps: Herald[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  async function boot(logger?: RecordLogger): Promise<Herald> {
    const herald = await createHerald({
      listeners: [SendWelcome],
      queue: memory,
      ...(logger ? { logger } : {}),
    });
    apps.push(herald);
    return herald;
  }

  it("a config logger gets one record per finished attempt, its level by outcome, with onJob's fields", async () => {
    const logger = new RecordLogger();
    const herald = await boot(logger);
    await herald.work();
    await herald.dispatch(new SignedUp('a@example.com'));
    await herald.dispatch(new SignedUp(''));
    await herald.drain();

    const completed = logger.at('info');
    expect(completed).toHaveLength(1);
    expect(completed[0]?.fields).toEqual({
      queue: 'emails',
      listener: 'SendWelcome',
      event: 'logger.signed-up',
      jobId: expect.any(String),
      attempt: 1,
      durationMs: expect.any(Number),
      outcome: 'completed',
    });
    expect(completed[0]?.message).toMatch(
      /^emails SendWelcome logger\.signed-up job \S+ attempt 1 \d+ms completed$/,
    );
    expect(logger.at('warn').map((call) => call.fields)).toEqual([
      expect.objectContaining({ outcome: 'retrying', attempt: 1, error: 'no address' }),
    ]);
    expect(logger.at('error').map((call) => call.fields)).toEqual([
      expect.objectContaining({ outcome: 'failed', attempt: 2, error: 'no address' }),
    ]);
    // No tracing in this file: no span ids on the records.
    expect(logger.calls.some((call) => 'trace_id' in call.fields)).toBe(false);
  });

  it("work({ logger }) wins over the config's, and the worker's onJob still hears every attempt", async () => {
    const configLogger = new RecordLogger();
    const workLogger = new RecordLogger();
    const herald = await boot(configLogger);
    const reports: JobReport[] = [];
    await herald.work({ logger: workLogger, onJob: (report) => reports.push(report) });
    await herald.dispatch(new SignedUp('b@example.com'));
    await herald.drain();
    expect(configLogger.calls).toEqual([]);
    expect(workLogger.calls.map((call) => call.fields.outcome)).toEqual(['completed']);
    expect(reports.map((report) => report.outcome)).toEqual(['completed']);
    expect(reports[0]?.jobId).toBe(workLogger.calls[0]?.fields.jobId);
  });

  it('without a logger nothing changes: the worker reports through onJob only', async () => {
    const herald = await boot();
    const reports: JobReport[] = [];
    await herald.work({ onJob: (report) => reports.push(report) });
    await herald.dispatch(new SignedUp('c@example.com'));
    await herald.drain();
    expect(reports).toHaveLength(1);
    expect(Object.keys(reports[0] ?? {})).not.toContain('traceId');
  });

  it('boot warnings (stale manifest, no listeners) go to logger.warn with their code, not to process warnings', async () => {
    const root = mkdtempSync(join(tmpdir(), 'herald-logger-boot-'));
    dirs.push(root);
    mkdirSync(join(root, 'listeners'));
    writeFileSync(join(root, 'listeners', 'empty.ts'), 'export {};');
    mkdirSync(join(root, '.herald'));
    // A manifest that does not list listeners/empty.ts: stale.
    const manifest = {
      version: 1,
      createdAt: new Date().toISOString(),
      discover: ['listeners'],
      scanned: [],
      modules: [],
    };
    writeFileSync(join(root, '.herald', 'manifest.json'), JSON.stringify(manifest));
    const emitted = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const logger = new RecordLogger();
    const herald = await createHerald(
      { root, discover: ['listeners'], logger },
      { importModule: async () => ({}) },
    );
    apps.push(herald);

    expect(emitted).not.toHaveBeenCalled();
    expect(logger.at('warn').map((call) => call.fields)).toEqual([
      { code: 'HERALD_MANIFEST_STALE' },
      { code: 'HERALD_NO_LISTENERS' },
    ]);
    expect(logger.at('warn')[0]?.message).toContain('herald event:cache');
    expect(logger.at('warn')[1]?.message).toContain('"listeners"');
  });

  it('a logger without warn and error fails boot with config_invalid naming the key and the fix', async () => {
    const error = await createHerald({ logger: { info() {} } as never }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).kind).toBe('config_invalid');
    expect((error as Error).message).toBe(
      'herald config: "logger" has no warn, error methods: pass a logger with info, warn and error methods, e.g. pino() or console (or wrap yours in an object that has them).',
    );
    const notObject = await createHerald({ logger: 'pino' as never }).catch((caught: unknown) => caught);
    expect((notObject as Error).message).toMatch(
      /"logger" must be an object with info, warn and error methods.*\(got string\)/,
    );
  });

  it('work() refuses a logger without its methods, naming the option', async () => {
    const herald = await boot();
    await expect(herald.work({ logger: { info() {}, warn() {} } as never })).rejects.toThrow(
      'work(): "logger" has no error method',
    );
  });
});
