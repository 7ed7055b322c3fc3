import type { ListenerContext } from './listener-context.js';

/** How a failed queued attempt waits before the next one. */
export type BackoffOption =
  /** The same delay in ms before every retry. */
  | number
  /** Delay in ms before retry 1, 2, ...; the last entry repeats. */
  | readonly number[]
  | {
      readonly type: 'fixed' | 'exponential';
      /** Base delay in ms (exponential: delay * 2^(retry-1)). */
      readonly delay: number;
      /** 0..1: the share of each delay that is randomised (true = 0.5). */
      readonly jitter?: number | boolean;
    };

/** At most one pending job per id (BullMQ deduplication). */
export interface UniqueOption<E = never> {
  /** The deduplication id for an event. */
  readonly id: (event: E) => string;
  /** How long (ms) the id stays taken; default: until the job completes or fails. */
  readonly ttl?: number;
}

/**
 * Options of `@Listener`, `@On` and `listen()`. Any of `queue`, `connection` makes a listener
 * queued; the rest of the queue fields apply to queued listeners only.
 */
export interface ListenerOptions<E = never> {
  /** Wire name stored in jobs; defaults to the class name (`Class.method` in subscribers). */
  readonly name?: string;
  /** Container scope of the listener class; default `'singleton'`. */
  readonly scope?: 'singleton' | 'transient';
  /** `true` = the connection's default queue, or a queue name. Makes the listener queued. */
  readonly queue?: true | string;
  /** Which queue connection (from config) the jobs go to. Makes the listener queued. */
  readonly connection?: string;
  /** Delay in ms before a queued job becomes available. */
  readonly delay?: number;
  /** Attempts in all, default 1. */
  readonly tries?: number;
  /** Wait between attempts. */
  readonly backoff?: BackoffOption;
  /** Per-attempt time limit in ms; `ctx.signal` aborts and the attempt fails. */
  readonly timeout?: number;
  /**
   * Queued job priority: 1 (highest) .. 2_097_151. Jobs without one run first (BullMQ's rule,
   * which the memory driver follows), FIFO.
   */
  readonly priority?: number;
  /** At most one pending job per id. */
  readonly unique?: UniqueOption<E>;
  /** Lower runs first among the listeners of one event; ties keep discovery order. */
  readonly order?: number;
  /**
   * `streams` connections only: where the listener's consumer group starts reading the first
   * time it runs: `'new'` (default) = entries appended from then on, `'start'` = the whole log.
   */
  readonly startFrom?: 'new' | 'start';
  /** `streams` connections only: one entry at a time per partition, so a key's entries stay in order. */
  readonly ordered?: boolean;
  /** `streams` connections only: every process running `work()` handles every new entry (no group). */
  readonly broadcast?: boolean;
  /**
   * Dispatched inside a transaction scope (`herald/pg`, `herald/kysely`, ...), this listener is
   * held until the outermost transaction commits (a sync one runs then, a queued one is pushed
   * then) and dropped on rollback; outside a transaction it runs at once. Laravel's `afterCommit`.
   */
  readonly afterCommit?: boolean;
}

/** A closure registered with `listen()`. */
export type ListenerFunction<E = never> = (event: E, ctx: ListenerContext) => unknown;
