/**
 * The ids of a span, as log lines carry them (`trace_id`, `span_id`: OpenTelemetry's log data
 * model and pino's instrumentation), so a log backend can jump from a line to its trace.
 */
export interface SpanIds {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
}

/** The `trace_id`/`span_id` fields of a log record, or none when there is no span. */
export function spanFields(ids: SpanIds | undefined): { trace_id?: string; span_id?: string } {
  return ids === undefined ? {} : { trace_id: ids.traceId, span_id: ids.spanId };
}
