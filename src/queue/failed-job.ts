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
}
