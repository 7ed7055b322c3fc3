import { readFileSync } from 'node:fs';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener } from '../../../src/index.js';
import { type RedisServerHandle, startRedisServer } from '../../support/redis-server.js';
import type { TempProject } from '../../support/temp-project.js';
import { parentOf, registerSdk, spanNamed } from '../../unit/telemetry/support/otel-sdk.js';
import { createTracedProject, type SpanLine } from './support/traced-project.js';

/**
 * One trace across two real processes on a real Redis: this process (an HTTP span, the
 * dispatch, the send) and a `herald queue:work` child (process, the listener's own span).
 */

const exporter = registerSdk();
const tracer = trace.getTracer('test');

@Event('traced.order-placed')
class OrderPlaced {
  constructor(readonly orderId: string) {}
}

// The producer's side of the worker's listeners: same wire names, never run here.
@Listener(OrderPlaced, { connection: 'jobs', queue: 'emails', name: 'SendReceipt' })
class SendReceipt {
  handle(): void {}
}

@Listener(OrderPlaced, { connection: 'log', name: 'ProjectRevenue', startFrom: 'start' })
class ProjectRevenue {
  handle(): void {}
}

describe('tracing across two processes (real Redis, real SDK in both)', () => {
  let server: RedisServerHandle;
  let project: TempProject;
  let env: Record<string, string>;
  let herald: Herald;

  beforeAll(async () => {
    server = await startRedisServer();
    ({ project, env } = createTracedProject(server.url));
    const url = server.url;
    herald = await createHerald({
      listeners: [SendReceipt, ProjectRevenue],
      queue: {
        default: 'jobs',
        connections: {
          jobs: { driver: 'bullmq', url, prefix: 'traced' },
          log: { driver: 'streams', url, prefix: 'traced' },
        },
      },
    });
  });
  afterAll(async () => {
    await herald?.close();
    await server?.stop();
    project?.remove();
  });
  afterEach(() => exporter.reset());

  /** Dispatches inside an HTTP span, runs the worker of `connection` until empty, returns both halves. */
  async function traceThrough(
    connection: string,
    orderId: string,
  ): Promise<{ here: Map<string, SpanId>; worker: SpanLine[] }> {
    await tracer.startActiveSpan('HTTP POST /orders', { kind: SpanKind.SERVER }, async (span) => {
      await herald.dispatch(new OrderPlaced(orderId));
      span.end();
    });
    const result = await project.herald(['queue:work', connection, '--stop-when-empty'], {
      env,
      timeoutMs: 30_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const worker = readFileSync(env.TRACE_OUT as string, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SpanLine)
      .filter(
        (span) => span.attributes['messaging.destination.name'] !== undefined || span.name.endsWith(orderId),
      );
    const spans = exporter.getFinishedSpans();
    const here = new Map<string, SpanId>();
    for (const name of ['HTTP POST /orders', 'dispatch traced.order-placed']) {
      const span = spanNamed(spans, name);
      here.set(name, {
        ...span.spanContext(),
        parent: parentOf(span),
        kind: span.kind,
        attributes: span.attributes,
      });
    }
    const send = spans.find(
      (span) =>
        span.kind === SpanKind.PRODUCER &&
        span.attributes['herald.event'] === 'traced.order-placed' &&
        span.attributes['messaging.system'] === (connection === 'jobs' ? 'bullmq' : 'redis_streams'),
    );
    if (send === undefined) throw new Error(`no send span: ${spans.map((s) => s.name).join(', ')}`);
    here.set('send', {
      ...send.spanContext(),
      parent: parentOf(send),
      kind: send.kind,
      attributes: send.attributes,
    });
    return { here, worker };
  }

  function expectOneTrace(here: Map<string, SpanId>, process: SpanLine, own: SpanLine): void {
    const http = here.get('HTTP POST /orders') as SpanId;
    const dispatch = here.get('dispatch traced.order-placed') as SpanId;
    const send = here.get('send') as SpanId;
    expect(dispatch.parent).toBe(http.spanId);
    expect(send.parent).toBe(dispatch.spanId);
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.parentSpanId).toBe(send.spanId);
    expect(process.links).toEqual([send.spanId]);
    expect(process.status).toBe(SpanStatusCode.UNSET);
    expect(own.parentSpanId).toBe(process.spanId);
    expect(new Set([http, dispatch, send, process, own].map((span) => span.traceId))).toEqual(
      new Set([http.traceId]),
    );
  }

  it('bullmq: HTTP → dispatch → send emails → (worker) process emails → the listener’s span', async () => {
    const { here, worker } = await traceThrough('jobs', 'o-1');
    const send = here.get('send') as SpanId;
    expect(send.attributes).toMatchObject({
      'messaging.destination.name': 'emails',
      'herald.listener': 'SendReceipt',
    });
    const process = worker.find((span) => span.name === 'process emails') as SpanLine;
    expect(process.attributes).toMatchObject({
      'messaging.system': 'bullmq',
      'messaging.destination.name': 'emails',
      'messaging.operation.type': 'process',
      'herald.event': 'traced.order-placed',
      'herald.listener': 'SendReceipt',
      'herald.attempt': 1,
    });
    expect(process.attributes['messaging.message.id']).toEqual(expect.any(String));
    expectOneTrace(here, process, worker.find((span) => span.name === 'receipt o-1') as SpanLine);
  });

  it('streams: HTTP → dispatch → send (append) → (worker) process <stream> → the listener’s span', async () => {
    const { here, worker } = await traceThrough('log', 'o-2');
    const send = here.get('send') as SpanId;
    expect(send.attributes).toMatchObject({ 'messaging.destination.name': 'traced.order-placed' });
    // The stream also holds the first test's entry: pick this dispatch's by its dispatch id.
    const process = worker.find(
      (span) =>
        span.kind === SpanKind.CONSUMER &&
        span.attributes['herald.listener'] === 'ProjectRevenue' &&
        span.attributes['messaging.message.conversation_id'] ===
          send.attributes['messaging.message.conversation_id'],
    ) as SpanLine;
    expect(process.attributes).toMatchObject({
      'messaging.system': 'redis_streams',
      'messaging.destination.name': 'traced.order-placed',
      'messaging.operation.type': 'process',
      'herald.event': 'traced.order-placed',
      'herald.attempt': 1,
    });
    expectOneTrace(here, process, worker.find((span) => span.name === 'revenue o-2') as SpanLine);
  });
});

/** A span of this process, reduced to what the checks compare. */
interface SpanId {
  readonly traceId: string;
  readonly spanId: string;
  readonly parent: string | undefined;
  readonly kind: number;
  readonly attributes: Readonly<Record<string, unknown>>;
}
