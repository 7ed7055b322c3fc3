import type { EncodedPayload } from '../../serialization/encoded-payload.js';

/** The version of the job wire format this herald writes and reads. */
export const WIRE_FORMAT_VERSION = 1;

/**
 * The data of one queued job: one (event, listener) pair of one dispatch. Stable and versioned:
 * workers of an older or newer deploy read it.
 */
export interface JobPayload {
  readonly v: typeof WIRE_FORMAT_VERSION;
  /** One id per dispatch call, shared by all of its jobs. */
  readonly dispatchId: string;
  /** The event's wire name. */
  readonly event: string;
  /** The listener's wire name. */
  readonly listener: string;
  /** The encoded event. */
  readonly payload: EncodedPayload;
  /** ISO time of the dispatch. */
  readonly dispatchedAt: string;
  readonly meta: JobMeta;
}

/** Extra facts carried with a job. */
export interface JobMeta {
  /** What the listener's `tags(event)` returned. */
  readonly tags?: readonly string[];
  /** W3C trace context of the dispatch, when tracing is on. */
  readonly traceparent?: string;
}
