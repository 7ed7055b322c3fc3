import type * as OtelApi from '@opentelemetry/api';
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { ATTR } from './messaging-attributes.js';
import type { SpanIds } from './span-ids.js';
import { formatTraceparent, parseTraceparent } from './trace-parent.js';

/** What a `send` span describes: one job pushed, or one stream append. */
export interface SendTarget {
  /** `messaging.system` (messagingSystemOf). */
  readonly system: string;
  /** The queue, or the stream. */
  readonly destination: string;
  readonly event: string;
  /** The listener's wire name; empty for a stream append (one entry serves every listener). */
  readonly listener: string;
  readonly dispatchId: string;
}

/** What a `process` span describes: one attempt of a job or entry on a worker. */
export interface ProcessTarget extends SendTarget {
  readonly messageId: string;
  readonly attempt: number;
  /** The job's `meta.traceparent`, as read off the queue (anything; checked here). */
  readonly traceparent: unknown;
}

/** How an attempt ended, as the JobRunner answers (AttemptResult). */
export interface AttemptOutcome {
  readonly status: 'completed' | 'retry' | 'failed';
  readonly error?: Error;
}

/** An outcome with the ids of the `process` span it ended (for the attempt's log record). */
export type TracedOutcome<R> = R & { readonly trace: SpanIds };

/**
 * herald's spans, made only while a tracer provider is registered (otel-switch.ts hands this out):
 * `dispatch <event>` (internal) around a dispatch, `handle <listener>` (internal) around each sync
 * listener, `send <queue|stream>` (producer) around a push, `process <queue|stream>` (consumer)
 * around a worker's attempt. Each runs its callback with its span active, so spans the code
 * inside makes (the listener's own, a nested dispatch's) are its children.
 */
export class HeraldTracing {
  readonly #api: typeof OtelApi;
  readonly #tracer: Tracer;

  constructor(api: typeof OtelApi, tracer: Tracer) {
    this.#api = api;
    this.#tracer = tracer;
  }

  /** Runs a dispatch inside its `dispatch <event>` span. */
  dispatch<T>(event: string, run: () => Promise<T>): Promise<T> {
    const span = this.#tracer.startSpan(`dispatch ${event}`, {
      kind: this.#api.SpanKind.INTERNAL,
      attributes: { [ATTR.event]: event },
    });
    return this.#settle(span, this.#within(span, run));
  }

  /** Runs a sync listener inside its `handle <listener>` span; returns what it returned. */
  listener(event: string, listener: string, run: () => unknown): unknown {
    const span = this.#tracer.startSpan(`handle ${listener}`, {
      kind: this.#api.SpanKind.INTERNAL,
      attributes: { [ATTR.event]: event, [ATTR.listener]: listener },
    });
    let returned: unknown;
    try {
      returned = this.#api.context.with(this.#api.trace.setSpan(this.#api.context.active(), span), run);
    } catch (error) {
      this.#failed(span, error);
      span.end();
      throw error;
    }
    const then = (returned as { then?: unknown } | null | undefined)?.then;
    if (typeof then !== 'function') {
      span.end();
      return returned;
    }
    return this.#settle(span, Promise.resolve(returned));
  }

  /**
   * Runs a push inside its `send <destination>` span; `push` gets the span's `traceparent` to put
   * in the job's `meta`, so the worker's `process` span joins this trace.
   */
  send(target: SendTarget, push: (traceparent: string) => Promise<void>): Promise<void> {
    const span = this.#tracer.startSpan(`send ${target.destination}`, {
      kind: this.#api.SpanKind.PRODUCER,
      attributes: { ...this.#messaging(target, 'send') },
    });
    const traceparent = formatTraceparent(span.spanContext());
    return this.#settle(
      span,
      this.#within(span, () => push(traceparent)),
    );
  }

  /**
   * Runs one attempt inside its `process <destination>` span: linked to the producer's context
   * from `meta.traceparent`, and its child (one trace from the request to the listener's own
   * spans). A retry or a failure sets status ERROR and records the exception. The outcome comes
   * back with the span's ids, so the attempt's report and log record name the span (a copy: the
   * runner shares one frozen `completed` outcome).
   */
  process<R extends AttemptOutcome>(target: ProcessTarget, run: () => Promise<R>): Promise<TracedOutcome<R>> {
    const { context, trace, SpanKind } = this.#api;
    const producer = parseTraceparent(target.traceparent);
    const parent: Context =
      producer === undefined ? context.active() : trace.setSpanContext(context.active(), producer);
    const attributes: Attributes = {
      ...this.#messaging(target, 'process'),
      [ATTR.messageId]: target.messageId,
      [ATTR.attempt]: target.attempt,
    };
    const span = this.#tracer.startSpan(
      `process ${target.destination}`,
      { kind: SpanKind.CONSUMER, attributes, links: producer === undefined ? [] : [{ context: producer }] },
      parent,
    );
    return this.#within(span, run).then(
      (outcome) => {
        if (outcome.status !== 'completed') this.#failed(span, outcome.error);
        span.end();
        const { traceId, spanId } = span.spanContext();
        return { ...outcome, trace: { traceId, spanId } };
      },
      (error: unknown) => {
        this.#failed(span, error);
        span.end();
        throw error;
      },
    );
  }

  /** The ids of the span active where this is called (a listener's, a request's), if any. */
  activeSpanIds(): SpanIds | undefined {
    const span = this.#api.trace.getActiveSpan();
    if (span === undefined) return undefined;
    const ids = span.spanContext();
    if (!this.#api.isSpanContextValid(ids)) return undefined;
    return { traceId: ids.traceId, spanId: ids.spanId };
  }

  #messaging(target: SendTarget, operation: 'send' | 'process'): Attributes {
    const attributes: Attributes = {
      [ATTR.system]: target.system,
      [ATTR.destination]: target.destination,
      [ATTR.operationType]: operation,
      [ATTR.operationName]: operation,
      [ATTR.event]: target.event,
      [ATTR.conversationId]: target.dispatchId,
    };
    if (target.listener !== '') attributes[ATTR.listener] = target.listener;
    return attributes;
  }

  /** Calls `run` with `span` active; a synchronous throw becomes a rejection. */
  #within<T>(span: Span, run: () => Promise<T>): Promise<T> {
    const { context, trace } = this.#api;
    try {
      return context.with(trace.setSpan(context.active(), span), run);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #settle<T>(span: Span, running: Promise<T>): Promise<T> {
    return running.then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        this.#failed(span, error);
        span.end();
        throw error;
      },
    );
  }

  #failed(span: Span, error: unknown): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    span.recordException(failure);
    span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: failure.message });
  }
}
