/** A number of jobs in one queue (deleted by `queue:clear`, or waiting to be). */
export interface QueueJobCount {
  readonly queue: string;
  readonly jobs: number;
}

/**
 * What the operator commands (`queue:clear`, `queue:restart`, `queue:work`'s restart watch) do
 * on a connection whose queue other processes share. A driver offers one through its
 * descriptor's `openAdmin`; in-process drivers offer none (another process cannot see their jobs).
 */
export interface QueueAdmin {
  /** The connection name. */
  readonly connection: string;
  /** Jobs of each queue that have not started, without deleting anything. */
  pending(queues: readonly string[]): Promise<QueueJobCount[]>;
  /** Deletes the jobs of the queues that have not started. */
  clear(queues: readonly string[]): Promise<QueueJobCount[]>;
  /** Tells every worker of the connection to finish its active jobs and exit; returns how many were told. */
  signalRestart(): Promise<number>;
  /** The last restart signal, or null when none was sent. */
  lastRestart(): Promise<string | null>;
  /** Closes the admin's connections. */
  close(): Promise<void>;
}
