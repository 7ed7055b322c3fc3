import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener } from '../../../src/index.js';

// A context manager but no tracer provider yet: what an app without tracing looks like to herald.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

@Event('tracing-off.ping')
class Ping {}

@Listener(Ping)
class Sees {
  static activeSpans = 0;
  handle(): void {
    if (trace.getActiveSpan() !== undefined) Sees.activeSpans++;
  }
}

@Listener(Ping, { queue: 'pings', tries: 1 })
class Fails {
  handle(): void {
    throw new Error('kept for its meta');
  }
}

describe('tracing off: no tracer provider registered', () => {
  let herald: Herald;
  afterAll(async () => {
    await herald.close();
  });

  it('records nothing, gives listeners no span, and queued jobs carry no traceparent', async () => {
    herald = await createHerald({
      listeners: [Sees, Fails],
      queue: { connections: { memory: { driver: 'memory' } } },
    });
    await herald.dispatch(new Ping());
    await herald.drain();
    const [failed] = await herald.failedJobs();
    expect(failed?.listener).toBe('Fails');
    expect(((failed?.data ?? {}) as { meta?: object }).meta).toEqual({});
    expect(Sees.activeSpans).toBe(0);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('a provider registered after boot is picked up within 1,000 dispatches (otel-switch.ts)', async () => {
    trace.setGlobalTracerProvider(provider);
    // The first dispatch that sees the provider starts importing @opentelemetry/api; let it land.
    for (let round = 0; round < 2; round++) {
      for (let n = 0; n < 1000; n++) await herald.dispatch(new Ping());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await herald.drain();
    const names = new Set(exporter.getFinishedSpans().map((span) => span.name));
    expect([...names].sort()).toEqual([
      'dispatch tracing-off.ping',
      'handle Sees',
      'process pings',
      'send pings',
    ]);
    const [newest] = await herald.failedJobs();
    expect(((newest?.data ?? {}) as { meta?: { traceparent?: string } }).meta?.traceparent).toMatch(
      /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/,
    );
  });
});
