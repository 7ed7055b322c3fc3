/**
 * What the queue benchmark's producer (bench/queue.ts) and its worker child process
 * (bench/queue-worker.ts) share: the event and listener, the app config, the clock and the
 * messages they exchange over the IPC channel.
 */
import 'reflect-metadata';
import type { JobsOptions } from 'bullmq';
import { Event, type HeraldConfig, Listener } from 'herald';

/**
 * Wall-clock milliseconds with sub-millisecond precision, comparable across processes on the
 * same machine (both sides derive it from the system clock at start + a monotonic delta).
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The benchmark's event: a sequence number and when it was dispatched. */
@Event('bench.job-ran')
export class BenchEvent {
  constructor(
    readonly seq: number,
    readonly sentAt: number,
  ) {}
}

type HandleHook = (sentAt: number) => void;
let hook: HandleHook = () => {};

/** Sets what the listener does on the worker (the producer never runs it). */
export function onHandle(fn: HandleHook): void {
  hook = fn;
}

/** The one queued listener: a trivial handle that reports to the worker's counter. */
@Listener(BenchEvent, { queue: true, name: 'BenchListener' })
export class BenchListener {
  handle(event: BenchEvent): void {
    hook(event.sentAt);
  }
}

/** The BullMQ queue herald's listener lands on (the connection's default queue). */
export const QUEUE = 'default';

/**
 * Options of the raw BullMQ jobs: the same retention herald's driver sets by default
 * (bullmq-job-options.ts), so both sides make Redis do the same cleanup work.
 */
export const RAW_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { count: 1000, age: 3600 },
  removeOnFail: { count: 10_000, age: 7 * 24 * 3600 },
};

/** The herald app of both processes: one bullmq connection under a per-case prefix. */
export function heraldConfig(url: string, prefix: string): HeraldConfig {
  return {
    listeners: [BenchListener],
    queue: { default: 'redis', connections: { redis: { driver: 'bullmq', url, prefix } } },
  };
}

/** How the worker child is set up; passed as JSON in `BENCH_WORKER_SPEC`. */
export interface WorkerSpec {
  readonly mode: 'herald' | 'raw';
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly prefix: string;
  readonly concurrency: number;
  /** Keep every add→handle latency (latency case only: 100k numbers would skew RSS). */
  readonly recordLatency: boolean;
  /** false: the herald worker runs with HERALD_METRICS=off (no metrics recorded). */
  readonly metrics?: boolean;
}

/** Producer → worker. */
export type ToWorker =
  | { readonly type: 'expect'; readonly total: number }
  | { readonly type: 'latencies' }
  | { readonly type: 'memory' }
  | { readonly type: 'close' };

/** Worker → producer. */
export type FromWorker =
  | { readonly type: 'ready' }
  | {
      readonly type: 'reached';
      readonly processed: number;
      /** When the last of them was handled (see {@link now}). */
      readonly at: number;
      /** The worker's CPU time so far (user + system, µs). */
      readonly cpuMicros: number;
    }
  | { readonly type: 'latencies'; readonly values: number[] }
  | {
      readonly type: 'memory';
      readonly rss: number;
      readonly heapUsed: number;
      /** What V8 has reserved for its heap (young generation included): part of RSS. */
      readonly heapTotal: number;
      /** Memory outside the JS heap that V8 knows of (Buffers). */
      readonly external: number;
      readonly peakRss: number;
    };
