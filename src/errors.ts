/**
 * Every kind of failure herald reports. The kind is the stable part of an error that code may
 * branch on; the message is for humans and says what to do.
 */
export type HeraldErrorKind =
  | 'not_booted'
  | 'unknown_event'
  | 'duplicate_name'
  | 'listener_failed'
  | 'not_serializable'
  | 'bad_payload'
  | 'unknown_listener'
  | 'config_invalid'
  | 'config_not_found'
  | 'discovery_failed'
  | 'payload_too_large'
  | 'container_failed'
  | 'queue_unavailable'
  | 'unknown_connection'
  | 'job_failed'
  | 'timeout'
  | 'closed'
  | 'bad_name'
  | 'file_exists'
  /**
   * The operation does not exist where it was called: `ctx.release()` or `ctx.fail()` in a sync
   * listener, failed jobs of a connection that keeps none. Not a configuration error.
   */
  | 'unsupported'
  /**
   * A value passed to herald, or returned to it by a listener's method, at run time is wrong:
   * `work()` options, what `retryUntil`, `unique.id`, `tags` or `withDelay` returned, job options
   * BullMQ refused. (`config_invalid` is only for the config and a decorator's options.)
   */
  | 'invalid_argument'
  /**
   * A transaction scope's COMMIT did not commit: PostgreSQL answered it with ROLLBACK because an
   * earlier statement failed and left the transaction aborted. Its held `afterCommit` work was dropped.
   */
  | 'transaction_aborted';

const HERALD_ERROR_BRAND = Symbol.for('herald.error');

/** Options accepted by the {@link HeraldError} constructor besides kind and message. */
export interface HeraldErrorOptions {
  /** The underlying error, kept as the standard `Error.cause`. */
  cause?: unknown;
  /** Set on a failure of work held until a transaction committed (see {@link HeraldError.committed}). */
  committed?: boolean;
}

/**
 * The one error class herald throws. Branch on `kind`, show `message`.
 *
 * @example
 * try { await herald.dispatch(event); }
 * catch (error) { if (HeraldError.is(error, 'listener_failed')) console.error(error.cause); }
 */
export class HeraldError extends Error {
  /** What went wrong, as a stable string. */
  readonly kind: HeraldErrorKind;
  /**
   * `true` when the failure came from work held until a transaction committed (an `afterCommit`
   * event or listener): the transaction's changes are saved, only what ran after the commit failed.
   * Absent on every other error.
   */
  readonly committed?: boolean;

  constructor(kind: HeraldErrorKind, message: string, options: HeraldErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'HeraldError';
    this.kind = kind;
    if (options.committed !== undefined) this.committed = options.committed;
    // A brand rather than instanceof alone: two copies of herald in one process (a linked
    // package beside an installed one) must still recognise each other's errors.
    Object.defineProperty(this, HERALD_ERROR_BRAND, { value: true });
  }

  /**
   * Whether `value` is a HeraldError, optionally of one kind.
   *
   * @example
   * if (HeraldError.is(error, 'unknown_event')) { ... }
   */
  static is(value: unknown, kind?: HeraldErrorKind): value is HeraldError {
    if (typeof value !== 'object' || value === null) return false;
    const branded =
      value instanceof HeraldError || (value as Record<symbol, unknown>)[HERALD_ERROR_BRAND] === true;
    if (!branded) return false;
    return kind === undefined || (value as HeraldError).kind === kind;
  }
}
