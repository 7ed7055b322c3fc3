import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener, type ListenerContext } from '../../../src/index.js';
import { parentOf, registerSdk, spanNamed } from './support/otel-sdk.js';

// Registered before any app boots, as an instrumentation preload would.
const exporter = registerSdk();
const tracer = trace.getTracer('test');

@Event('tracing.order-placed')
class OrderPlaced {
  constructor(readonly orderId: string) {}
}

@Listener(OrderPlaced)
class Audit {
  handle(): void {
    tracer.startSpan('audit own work').end();
  }
}

@Listener(OrderPlaced, { queue: 'emails', tries: 3, backoff: 0 })
class SendReceipt {
  static failUntil = 0;
  handle(event: OrderPlaced, ctx: ListenerContext): void {
    tracer.startSpan(`receipt for ${event.orderId}`).end();
    if (ctx.attempt < SendReceipt.failUntil) throw new Error(`smtp down (attempt ${ctx.attempt})`);
  }
}

@Event('tracing.refused')
class Refused {}

@Listener(Refused)
class Refuses {
  handle(): void {
    throw new Error('no thanks');
  }
}

const memory = { connections: { memory: { driver: 'memory' as const } } };

/** Dispatches `event` inside an `HTTP POST` server span, as a web framework's instrumentation would. */
async function inRequest(herald: Herald, event: object): Promise<string> {
  return tracer.startActiveSpan('HTTP POST', { kind: SpanKind.SERVER }, async (span) => {
    try {
      await herald.dispatch(event);
    } finally {
      span.end();
    }
    return span.spanContext().spanId;
  });
}

describe('tracing with the OpenTelemetry SDK (memory connection)', () => {
  const apps: Herald[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    exporter.reset();
    SendReceipt.failUntil = 0;
  });

  async function boot(listeners: Function[]): Promise<Herald> {
    const herald = await createHerald({ listeners: listeners as never, queue: memory });
    apps.push(herald);
    return herald;
  }

  it('a sync listener runs in a child span of the dispatch span, its own spans below it', async () => {
    const herald = await boot([Audit]);
    const request = await inRequest(herald, new OrderPlaced('o-1'));
    const spans = exporter.getFinishedSpans();
    const dispatch = spanNamed(spans, 'dispatch tracing.order-placed');
    const handle = spanNamed(spans, 'handle Audit');
    expect(dispatch.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(dispatch)).toBe(request);
    expect(handle.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(handle)).toBe(dispatch.spanContext().spanId);
    expect(handle.attributes).toMatchObject({
      'herald.event': 'tracing.order-placed',
      'herald.listener': 'Audit',
    });
    expect(parentOf(spanNamed(spans, 'audit own work'))).toBe(handle.spanContext().spanId);
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
  });

  it('a sync listener that throws: its span and the dispatch span record the exception, status ERROR', async () => {
    const herald = await boot([Refuses]);
    await expect(herald.dispatch(new Refused())).rejects.toThrow('no thanks');
    const spans = exporter.getFinishedSpans();
    for (const name of ['handle Refuses', 'dispatch tracing.refused']) {
      const span = spanNamed(spans, name);
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
    }
    expect(spanNamed(spans, 'handle Refuses').events[0]?.attributes?.['exception.message']).toBe('no thanks');
  });

  it('send (producer) → process (consumer): the job carries the context, process is linked and a child', async () => {
    const herald = await boot([SendReceipt]);
    const request = await inRequest(herald, new OrderPlaced('o-2'));
    await herald.drain();
    const spans = exporter.getFinishedSpans();
    const dispatch = spanNamed(spans, 'dispatch tracing.order-placed');
    const send = spanNamed(spans, 'send emails');
    const processed = spanNamed(spans, 'process emails');
    expect(parentOf(dispatch)).toBe(request);
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(send)).toBe(dispatch.spanContext().spanId);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'memory',
      'messaging.destination.name': 'emails',
      'messaging.operation.type': 'send',
      'herald.event': 'tracing.order-placed',
      'herald.listener': 'SendReceipt',
    });
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(processed)).toBe(send.spanContext().spanId);
    expect(processed.links.map((link) => link.context.spanId)).toEqual([send.spanContext().spanId]);
    expect(processed.attributes).toMatchObject({
      'messaging.system': 'memory',
      'messaging.destination.name': 'emails',
      'messaging.operation.type': 'process',
      'herald.event': 'tracing.order-placed',
      'herald.listener': 'SendReceipt',
      'herald.attempt': 1,
    });
    expect(processed.attributes['messaging.message.id']).toEqual(expect.any(String));
    expect(processed.attributes['messaging.message.conversation_id']).toBe(
      send.attributes['messaging.message.conversation_id'],
    );
    expect(processed.status.code).toBe(SpanStatusCode.UNSET);
    expect(parentOf(spanNamed(spans, 'receipt for o-2'))).toBe(processed.spanContext().spanId);
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
  });

  it('retries are separate process spans with herald.attempt; failed attempts record the exception and ERROR', async () => {
    SendReceipt.failUntil = 3;
    const herald = await boot([SendReceipt]);
    await herald.dispatch(new OrderPlaced('o-3'));
    await herald.drain();
    const spans = exporter.getFinishedSpans();
    const send = spanNamed(spans, 'send emails');
    const attempts = spans.filter((span) => span.name === 'process emails');
    expect(attempts.map((span) => span.attributes['herald.attempt'])).toEqual([1, 2, 3]);
    expect(attempts.map((span) => span.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
      SpanStatusCode.UNSET,
    ]);
    expect(attempts.map((span) => span.events[0]?.attributes?.['exception.message'])).toEqual([
      'smtp down (attempt 1)',
      'smtp down (attempt 2)',
      undefined,
    ]);
    for (const span of attempts) {
      expect(parentOf(span)).toBe(send.spanContext().spanId);
      expect(span.links[0]?.context.spanId).toBe(send.spanContext().spanId);
    }
    expect(new Set(attempts.map((span) => span.spanContext().spanId)).size).toBe(3);
  });

  it('a job out of attempts: its last process span is ERROR too, and the failed job keeps meta.traceparent', async () => {
    SendReceipt.failUntil = 99;
    const herald = await boot([SendReceipt]);
    await herald.dispatch(new OrderPlaced('o-4'));
    await herald.drain();
    const spans = exporter.getFinishedSpans();
    const send = spanNamed(spans, 'send emails');
    const attempts = spans.filter((span) => span.name === 'process emails');
    expect(attempts.map((span) => span.status.code)).toEqual(Array(3).fill(SpanStatusCode.ERROR));
    const [failed] = await herald.failedJobs();
    const { traceId, spanId } = send.spanContext();
    expect(((failed?.data ?? {}) as { meta?: { traceparent?: string } }).meta?.traceparent).toBe(
      `00-${traceId}-${spanId}-01`,
    );
  });
});
