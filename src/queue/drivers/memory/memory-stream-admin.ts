import type {
  DeadLetter,
  RetryDeadOutcome,
  StreamAdmin,
  StreamPartitionState,
  StreamReader,
} from '../../stream-admin.js';
import type { MemoryDriver } from './memory-driver.js';

/**
 * The stream operations of a memory connection standing in for `streams` (memory-log.ts): one
 * partition per stream; a listener's group is its jobs, so retrying or replaying hands that
 * listener alone fresh jobs (fresh tries, `ctx.jobId` = the entry id), never the other listeners.
 */
export class MemoryStreamAdmin implements StreamAdmin {
  readonly connection: string;
  readonly #driver: MemoryDriver;

  constructor(driver: MemoryDriver) {
    this.connection = driver.connection;
    this.#driver = driver;
  }

  async describe(streams: readonly string[]): Promise<StreamPartitionState[]> {
    return this.#driver.log.describe(streams, this.connection);
  }

  async deadLetters(listener: StreamReader): Promise<DeadLetter[]> {
    return this.#driver.log.deadLetters(listener.name, listener.streams);
  }

  /** An entry the log no longer holds (past `maxLen`) cannot run again: its dead letter stays. */
  async retryDead(listener: StreamReader, ids: readonly string[] | 'all'): Promise<RetryDeadOutcome> {
    const { log } = this.#driver;
    const letters = log.deadLetters(listener.name, listener.streams);
    const named = (letter: DeadLetter, id: string) => letter.entryId === id || letter.id === id;
    const chosen = ids === 'all' ? letters : letters.filter((letter) => ids.some((id) => named(letter, id)));
    const unknown = ids === 'all' ? [] : ids.filter((id) => !letters.some((letter) => named(letter, id)));
    const retried: string[] = [];
    const trimmed: string[] = [];
    for (const letter of chosen) {
      const entry = log.entry(letter.stream, letter.entryId);
      if (entry === undefined || !this.#driver.redeliver(entry, listener.name)) {
        trimmed.push(letter.entryId);
        continue;
      }
      log.forgetDead(listener.name, letter);
      retried.push(letter.entryId);
    }
    return { retried, trimmed, unknown };
  }

  /** Fresh jobs for the listener's entries from `from` on, in log order; one partition per stream. */
  async replay(listener: StreamReader, from: 'start' | string): Promise<number> {
    for (const stream of listener.streams) {
      for (const entry of this.#driver.log.entriesFrom(stream, from))
        this.#driver.redeliver(entry, listener.name);
    }
    return listener.streams.length;
  }

  /** Nothing to close: the log lives in the app's driver, closed with the app. */
  async close(): Promise<void> {}
}
