/** A listener as the stream commands see it: its wire name (its group) and the streams it reads. */
export interface StreamReader {
  readonly name: string;
  readonly streams: readonly string[];
}

/** One consumer group on one partition stream. */
export interface StreamGroupState {
  /** The group name: a listener's wire name. */
  readonly group: string;
  /** Entries not yet delivered to the group (XINFO GROUPS `lag`, else counted); null when unknown. */
  readonly lag: number | null;
  /** Entries delivered and not yet acknowledged (running, waiting for a retry, or orphaned). */
  readonly pending: number;
  /** Milliseconds since the oldest pending entry was appended; null when none is pending. */
  readonly oldestPendingMs: number | null;
  /** Entries of this stream the listener dead-lettered. */
  readonly dead: number;
}

/** One partition stream of a log with its groups. */
export interface StreamPartitionState {
  readonly stream: string;
  readonly partition: number;
  /** The Redis key of the partition. */
  readonly key: string;
  readonly length: number;
  readonly groups: readonly StreamGroupState[];
}

/** An entry a listener gave up on (out of tries), as its dead-letter stream keeps it. */
export interface DeadLetter {
  /** The dead letter's own id in the dead-letter stream. */
  readonly id: string;
  readonly stream: string;
  /** The id of the original entry in its log. */
  readonly entryId: string;
  readonly event: string;
  readonly dispatchId: string;
  readonly failedAt: string;
  readonly attempts: number;
  readonly error: string;
  readonly errorKind: string;
}

/** What `retryDead` did with the dead letters it was asked about. */
export interface RetryDeadOutcome {
  /** Entry ids handed back to the listener's group (their dead letters deleted). */
  readonly retried: readonly string[];
  /** Entry ids whose original entry is no longer in the log (trimmed): the dead letter stays. */
  readonly trimmed: readonly string[];
  /** Ids asked for that name no dead letter of the listener. */
  readonly unknown: readonly string[];
}

/**
 * The operator side of a `streams` connection (`stream:list`, `stream:dead`, `stream:retry-dead`,
 * `stream:replay`). A driver offers one through its descriptor's `openStreamAdmin`. Methods
 * reject with `queue_unavailable` (naming the Redis address) when Redis cannot be reached.
 */
export interface StreamAdmin {
  readonly connection: string;
  /** The partitions of each stream with their length and groups. */
  describe(streams: readonly string[]): Promise<StreamPartitionState[]>;
  /** The listener's dead letters on all its streams, oldest first. */
  deadLetters(listener: StreamReader): Promise<DeadLetter[]>;
  /** Runs dead entries (by entry id or dead-letter id, or `'all'`) again for this listener only, fresh tries. */
  retryDead(listener: StreamReader, ids: readonly string[] | 'all'): Promise<RetryDeadOutcome>;
  /**
   * Moves the listener's group back so it reads again from `from` (`'start'`, or the first entry
   * id to deliver, e.g. `<ms>-0`); other groups are untouched. Returns the partitions moved.
   */
  replay(listener: StreamReader, from: 'start' | string): Promise<number>;
  /** Closes the admin's connection. */
  close(): Promise<void>;
}
