import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTempProject, REPO_ROOT, type TempProject } from '../../../support/temp-project.js';

/**
 * A worker project whose processes trace with the real OpenTelemetry SDK, registered by a preload
 * (`NODE_OPTIONS=--import`, as OpenTelemetry advises) that writes each finished span as a JSON line
 * to TRACE_OUT, where the test reads the worker's half of the trace.
 */

/** One span as the preload's exporter writes it. */
export interface SpanLine {
  readonly name: string;
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly links: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly status: number;
}

const PRELOAD = `import { appendFileSync } from 'node:fs';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** A SpanExporter that appends one JSON line per span: the test process reads the file. */
const fileExporter = {
  export(spans, done) {
    for (const span of spans) {
      const { traceId, spanId } = span.spanContext();
      appendFileSync(process.env.TRACE_OUT, JSON.stringify({
        name: span.name, kind: span.kind, traceId, spanId,
        parentSpanId: span.parentSpanContext?.spanId,
        links: span.links.map((link) => link.context.spanId),
        attributes: span.attributes, status: span.status.code,
      }) + '\\n');
    }
    done({ code: 0 });
  },
  shutdown: async () => {},
};
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(fileExporter)] }));
`;

/** The events and listeners, the same wire names as the test process's classes. */
const LISTENERS = `import { trace } from '@opentelemetry/api';
import { Event, Listener } from 'herald';

@Event('traced.order-placed')
export class OrderPlaced { constructor(readonly orderId: string) {} }

@Listener(OrderPlaced, { connection: 'jobs', queue: 'emails', name: 'SendReceipt' })
export class SendReceipt {
  handle(event: OrderPlaced): void {
    trace.getTracer('shop').startSpan('receipt ' + event.orderId).end();
  }
}

@Listener(OrderPlaced, { connection: 'log', name: 'ProjectRevenue', startFrom: 'start' })
export class ProjectRevenue {
  handle(event: OrderPlaced): void {
    trace.getTracer('shop').startSpan('revenue ' + event.orderId).end();
  }
}
`;

const CONFIG = `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/listeners'],
  queue: {
    default: 'jobs',
    connections: {
      jobs: { driver: 'bullmq', url: process.env.TEST_REDIS_URL, prefix: 'traced' },
      log: { driver: 'streams', url: process.env.TEST_REDIS_URL, prefix: 'traced' },
    },
  },
});
`;

/** The project, and the env that makes its `herald` processes trace into `traceOut`. */
export function createTracedProject(redisUrl: string): { project: TempProject; env: Record<string, string> } {
  const project = createTempProject('herald-traced');
  // The preload and the listeners import the SDK: the repo's dev dependencies, linked in.
  symlinkSync(
    join(REPO_ROOT, 'node_modules', '@opentelemetry'),
    join(project.dir, 'node_modules', '@opentelemetry'),
  );
  project.write('herald.config.ts', CONFIG);
  project.write('src/listeners/orders.ts', LISTENERS);
  project.write('tracing.mjs', PRELOAD);
  const preload = pathToFileURL(join(project.dir, 'tracing.mjs')).href;
  const env = {
    TEST_REDIS_URL: redisUrl,
    TRACE_OUT: join(project.dir, 'spans.jsonl'),
    NODE_OPTIONS: `--import=${preload}`,
  };
  return { project, env };
}
