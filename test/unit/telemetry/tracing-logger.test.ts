import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHerald,
  Event,
  type Herald,
  type JobReport,
  Listener,
  type ListenerContext,
} from '../../../src/index.js';
import { RecordLogger } from '../logging/support/record-logger.js';
import { registerSdk } from './support/otel-sdk.js';

// Registered before any app boots, as an instrumentation preload would.
const exporter = registerSdk();
const tracer = trace.getTracer('test');

@Event('traced-log.invoice-paid')
class InvoicePaid {
  constructor(readonly id: string) {}
}

@Listener(InvoicePaid, { queue: 'billing', tries: 2, backoff: 0 })
class Reconcile {
  handle(_event: InvoicePaid, ctx: ListenerContext): void {
    if (ctx.attempt === 1) throw new Error('ledger busy');
  }
}

const memory = { connections: { memory: { driver: 'memory' as const } } };

describe('log records with tracing on (OpenTelemetry SDK, memory connection)', () => {
  const apps: Herald[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    exporter.reset();
  });

  it('each attempt record carries trace_id and span_id of that attempt’s process span', async () => {
    const logger = new RecordLogger();
    const herald = await createHerald({ listeners: [Reconcile], queue: memory, logger });
    apps.push(herald);
    const reports: JobReport[] = [];
    await herald.work({ onJob: (report) => reports.push(report) });
    await herald.dispatch(new InvoicePaid('inv-1'));
    await herald.drain();

    const processSpans = exporter.getFinishedSpans().filter((span) => span.name === 'process billing');
    expect(processSpans.map((span) => span.attributes['herald.attempt'])).toEqual([1, 2]);
    const [first, second] = processSpans.map((span) => span.spanContext());
    expect(first?.spanId).not.toBe(second?.spanId);
    expect(
      logger.calls.map((call) => [
        call.level,
        call.fields.attempt,
        call.fields.trace_id,
        call.fields.span_id,
      ]),
    ).toEqual([
      ['warn', 1, first?.traceId, first?.spanId],
      ['info', 2, second?.traceId, second?.spanId],
    ]);
    // onJob's report names the same spans (camelCase, as the rest of the report).
    expect(reports.map((report) => [report.traceId, report.spanId])).toEqual([
      [first?.traceId, first?.spanId],
      [second?.traceId, second?.spanId],
    ]);
  });

  it('a warning logged inside a span carries that span’s ids', async () => {
    const root = mkdtempSync(join(tmpdir(), 'herald-traced-warning-'));
    dirs.push(root);
    mkdirSync(join(root, 'listeners'));
    writeFileSync(join(root, 'listeners', 'empty.ts'), 'export {};');
    const logger = new RecordLogger();
    const ids = await tracer.startActiveSpan('boot', async (span) => {
      const herald = await createHerald(
        { root, discover: ['listeners'], logger },
        { importModule: async () => ({}), manifest: false },
      );
      apps.push(herald);
      span.end();
      return span.spanContext();
    });
    expect(logger.calls).toEqual([
      {
        level: 'warn',
        fields: { code: 'HERALD_NO_LISTENERS', trace_id: ids.traceId, span_id: ids.spanId },
        message: expect.stringContaining('no listener or subscriber'),
      },
    ]);
  });
});
