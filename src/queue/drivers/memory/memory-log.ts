import type { QueuedJob } from '../../job/queued-job.js';
import type { DeadLetter, StreamGroupState, StreamPartitionState } from '../../stream-admin.js';
import { compareEntryIds, EntryIds, timeOfEntryId } from './memory-entry-ids.js';

/** One dispatch of an event that names a stream, as the memory log keeps it. */
export interface MemoryLogEntry {
  /** `<ms>-<seq>`, increasing per stream, like a Redis stream id. */
  readonly id: string;
  readonly stream: string;
  readonly dispatchId: string;
  readonly event: string;
  /**
   * Listener (group) → the job it was given for this entry: what replay and retryDead hand it
   * again. A listener missing here does not read this entry's event.
   */
  readonly jobs: Map<string, QueuedJob>;
}

/** A job of a logged entry not yet at its final outcome: the group's lag (not started) or pending. */
export interface LoggedJob {
  readonly entry: MemoryLogEntry;
  readonly listener: string;
  started: boolean;
}

/** A memory dead letter: the listener is part of it (the dead-letter stream names it on Redis). */
interface MemoryDeadLetter extends DeadLetter {
  readonly listener: string;
}

/**
 * The memory connection's stand-in for a Redis stream: every dispatch of an event that names a
 * stream is kept once per stream (the jobs of one dispatch for several listeners share one
 * entry, as on `streams`), the last `maxLen` per stream; the listeners that got a job for an
 * entry are its groups; a job out of tries leaves a dead letter. What the memory StreamAdmin
 * (memory-stream-admin.ts) reads and replays from.
 */
export class MemoryLog {
  readonly #maxLen: number;
  readonly #streams = new Map<string, MemoryLogEntry[]>();
  /** `stream\ndispatchId` → its entry, while the entry is in the log. */
  readonly #byDispatch = new Map<string, MemoryLogEntry>();
  readonly #ids = new Map<string, EntryIds>();
  /** Stream → every listener that ever got a job of it: its groups. */
  readonly #groups = new Map<string, Set<string>>();
  /** `stream\nlistener` → dead letters, oldest first (at most `maxLen`). */
  readonly #dead = new Map<string, MemoryDeadLetter[]>();
  readonly #deadIds = new EntryIds();
  readonly #inFlight = new Set<LoggedJob>();

  constructor(maxLen: number) {
    this.#maxLen = maxLen;
  }

  /**
   * Keeps the job's event in its stream's log, once per dispatch (a later job of the same
   * dispatch joins the entry), and records the job as its listener's. Undefined when the event
   * names no stream: a plain queued job, not logged.
   */
  append(job: QueuedJob): MemoryLogEntry | undefined {
    const stream = job.stream?.name;
    if (stream === undefined) return undefined;
    const key = `${stream}\n${job.data.dispatchId}`;
    let entry = this.#byDispatch.get(key);
    if (entry === undefined) {
      entry = this.#newEntry(stream, job);
      this.#byDispatch.set(key, entry);
    }
    const { listener } = job.data;
    // An append no local listener reads (listener '') is an entry without groups.
    if (listener !== '') {
      entry.jobs.set(listener, job);
      const groups = this.#groups.get(stream) ?? new Set<string>();
      groups.add(listener);
      this.#groups.set(stream, groups);
    }
    return entry;
  }

  #newEntry(stream: string, job: QueuedJob): MemoryLogEntry {
    let ids = this.#ids.get(stream);
    if (ids === undefined) {
      ids = new EntryIds();
      this.#ids.set(stream, ids);
    }
    const entry: MemoryLogEntry = {
      id: ids.next(),
      stream,
      dispatchId: job.data.dispatchId,
      event: job.data.event,
      jobs: new Map(),
    };
    const entries = this.#streams.get(stream) ?? [];
    entries.push(entry);
    this.#streams.set(stream, entries);
    // Bounded like a stream with maxLen: the oldest entries go (their dead letters stay).
    while (entries.length > this.#maxLen) {
      const gone = entries.shift() as MemoryLogEntry;
      this.#byDispatch.delete(`${gone.stream}\n${gone.dispatchId}`);
    }
    return entry;
  }

  /** A job of `entry` for `listener` now waits to run: counted until {@link settle}. */
  track(entry: MemoryLogEntry, listener: string): LoggedJob {
    const logged: LoggedJob = { entry, listener, started: false };
    this.#inFlight.add(logged);
    return logged;
  }

  /** The job reached its final outcome (or was dropped). */
  settle(logged: LoggedJob): void {
    this.#inFlight.delete(logged);
  }

  /** The listener gave up on the entry: keeps a dead letter (what `stream:dead` lists on Redis). */
  deadLetter(logged: LoggedJob, attempts: number, error: Error): void {
    const { entry, listener } = logged;
    const kind = (error as { kind?: unknown }).kind;
    const key = `${entry.stream}\n${listener}`;
    const letters = this.#dead.get(key) ?? [];
    letters.push({
      id: this.#deadIds.next(),
      listener,
      stream: entry.stream,
      entryId: entry.id,
      event: entry.event,
      dispatchId: entry.dispatchId,
      failedAt: new Date().toISOString(),
      attempts,
      error: error.message,
      errorKind: typeof kind === 'string' ? kind : error.name,
    });
    if (letters.length > this.#maxLen) letters.shift();
    this.#dead.set(key, letters);
  }

  /** The listener's dead letters on these streams, oldest first per stream. */
  deadLetters(listener: string, streams: readonly string[]): DeadLetter[] {
    return streams.flatMap((stream) =>
      (this.#dead.get(`${stream}\n${listener}`) ?? []).map(({ listener: _, ...letter }) => letter),
    );
  }

  /** Deletes one dead letter (it is being retried). */
  forgetDead(listener: string, letter: DeadLetter): void {
    const letters = this.#dead.get(`${letter.stream}\n${listener}`);
    const at = letters?.findIndex((each) => each.id === letter.id) ?? -1;
    if (letters !== undefined && at !== -1) letters.splice(at, 1);
  }

  /** The entry of a stream by id, while the log still holds it. */
  entry(stream: string, id: string): MemoryLogEntry | undefined {
    return this.#streams.get(stream)?.find((entry) => entry.id === id);
  }

  /** The entries of a stream from `from` (that entry included) on, in log order. */
  entriesFrom(stream: string, from: 'start' | string): MemoryLogEntry[] {
    const entries = this.#streams.get(stream) ?? [];
    return from === 'start' ? [...entries] : entries.filter((entry) => compareEntryIds(entry.id, from) >= 0);
  }

  /** Each stream as one partition, with its groups' lag, pending and dead counts. */
  describe(streams: readonly string[], connection: string): StreamPartitionState[] {
    return streams.map((stream) => {
      const groups = new Set(this.#groups.get(stream));
      for (const key of this.#dead.keys())
        if (key.startsWith(`${stream}\n`)) groups.add(key.slice(stream.length + 1));
      return {
        stream,
        partition: 0,
        key: `${connection}:${stream}:0`,
        length: this.#streams.get(stream)?.length ?? 0,
        groups: [...groups].map((group) => this.#groupState(stream, group)),
      };
    });
  }

  #groupState(stream: string, group: string): StreamGroupState {
    let lag = 0;
    let pending = 0;
    let oldest: number | undefined;
    for (const logged of this.#inFlight) {
      if (logged.entry.stream !== stream || logged.listener !== group) continue;
      if (!logged.started) {
        lag++;
        continue;
      }
      pending++;
      const at = timeOfEntryId(logged.entry.id);
      if (oldest === undefined || at < oldest) oldest = at;
    }
    return {
      group,
      lag,
      pending,
      oldestPendingMs: oldest === undefined ? null : Math.max(0, Date.now() - oldest),
      dead: this.#dead.get(`${stream}\n${group}`)?.length ?? 0,
    };
  }
}
