import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobReport } from '../queue/worker/job-report.js';
import { addReport, type MinuteCounts } from './metrics-batch.js';
import type { MetricsStore, WorkerHeartbeat } from './metrics-store.js';

/** How often a worker writes its counts and heartbeat (ms). */
export const FLUSH_INTERVAL_MS = 1000;

/** What a worker recorder describes itself as in its heartbeat. */
export interface RecordedWorker {
  readonly connection: string;
  readonly queues: readonly string[];
  readonly concurrency: number;
}

/**
 * A worker's metrics: each finished attempt is added to an in-process batch (no I/O); once a
 * second the batch and the worker's heartbeat go to the store in one write (one pipeline on
 * Redis), never a round trip per job. A failed write drops its batch (reported to `onError`):
 * metrics must never hold a worker back or grow without bound while Redis is away.
 */
export class WorkerRecorder {
  readonly #store: MetricsStore;
  readonly #beat: Omit<WorkerHeartbeat, 'lastSeen'>;
  readonly #onError: (error: Error) => void;
  readonly #timer: NodeJS.Timeout;
  #batch: MinuteCounts = new Map();
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(store: MetricsStore, worker: RecordedWorker, onError: (error: Error) => void) {
    this.#store = store;
    this.#onError = onError;
    this.#beat = {
      id: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
      host: hostname(),
      pid: process.pid,
      ...worker,
    };
    this.#timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    // Metrics never keep a process alive.
    this.#timer.unref();
    void this.flush();
  }

  /** Adds a finished attempt to the batch. */
  record(report: JobReport): void {
    addReport(this.#batch, report);
  }

  /** Writes the batch and the heartbeat now; writes never overlap. */
  flush(): Promise<void> {
    const batch = this.#batch;
    this.#batch = new Map();
    const heartbeat = this.#closed ? undefined : { ...this.#beat, lastSeen: Date.now() };
    this.#writing = this.#writing.then(async () => {
      try {
        await this.#store.write(batch, heartbeat);
      } catch (error) {
        this.#onError(error instanceof Error ? error : new Error(String(error)));
      }
    });
    return this.#writing;
  }

  /** Stops the timer and writes what is left (the worker has stopped). */
  close(): Promise<void> {
    if (this.#closed) return this.#writing;
    this.#closed = true;
    clearInterval(this.#timer);
    return this.flush();
  }
}
