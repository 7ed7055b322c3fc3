/**
 * The IPC side of a benchmark worker child (bench/queue-worker.ts, bench/streams-worker.ts):
 * counts handled jobs, keeps latencies when asked, and answers bench/queue-child.ts' messages
 * (expect, latencies, memory, close).
 */
import { type FromWorker, now, type ToWorker } from './queue-shared.js';

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

function send(message: FromWorker): void {
  process.send?.(message);
}

/** A worker's handled-jobs counter and its IPC loop. */
export class WorkerIpc {
  #processed = 0;
  #lastAt = 0;
  #target = Number.POSITIVE_INFINITY;
  #latencies: number[] = [];
  #peakRss = 0;
  readonly #recordLatency: boolean;

  constructor(recordLatency: boolean) {
    this.#recordLatency = recordLatency;
  }

  /** Counts one handled job dispatched at `sentAt` (see {@link now}). */
  readonly handled = (sentAt: number): void => {
    const at = now();
    this.#processed++;
    this.#lastAt = at;
    if (this.#recordLatency) this.#latencies.push(at - sentAt);
    if (this.#processed === this.#target)
      send({ type: 'reached', processed: this.#processed, at, cpuMicros: cpuMicros() });
  };

  /** Answers the producer until it says close; then runs `stop` and lets the process end. */
  serve(stop: () => Promise<void>): void {
    // Sampled, not exact: catches a peak between the producer's quiet points.
    const sampler = setInterval(() => {
      this.#peakRss = Math.max(this.#peakRss, process.memoryUsage.rss());
    }, 100);
    process.on('message', (message: ToWorker) => {
      switch (message.type) {
        case 'expect':
          this.#target = message.total;
          if (this.#processed >= this.#target)
            send({ type: 'reached', processed: this.#processed, at: this.#lastAt, cpuMicros: cpuMicros() });
          return;
        case 'latencies':
          send({ type: 'latencies', values: this.#latencies });
          this.#latencies = [];
          return;
        case 'memory': {
          globalThis.gc?.();
          const usage = process.memoryUsage();
          this.#peakRss = Math.max(this.#peakRss, usage.rss);
          send({
            type: 'memory',
            rss: usage.rss,
            heapUsed: usage.heapUsed,
            heapTotal: usage.heapTotal,
            external: usage.external,
            peakRss: this.#peakRss,
          });
          return;
        }
        case 'close':
          clearInterval(sampler);
          // No process.exit(): the child must end on its own once every connection is closed,
          // which is what the producer checks (a hang here is a leak worth reporting).
          void stop().then(() => process.disconnect());
          return;
      }
    });
    send({ type: 'ready' });
  }
}
