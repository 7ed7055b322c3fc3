/** A job that ran out of attempts, as `queue:failed` lists it. */
export interface FailedJob {
  readonly id: string;
  readonly connection: string;
  readonly queue: string;
  readonly listener: string;
  readonly event: string;
  readonly attempts: number;
  /** The last error's message. */
  readonly error: string;
  readonly failedAt: Date;
  /**
   * The job as stored: the wire-format object (`{ v, dispatchId, event, listener, payload, ... }`),
   * or the raw text when it was not valid JSON. `queue:failed --payload` shows it.
   */
  readonly data?: unknown;
}
