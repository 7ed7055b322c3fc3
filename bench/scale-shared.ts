/**
 * What bench/scale.ts (the producer) and its worker child processes (bench/scale-worker.ts)
 * share: the events and queued listeners of each workload, the app config for a topology, the
 * worker spec and the IPC messages.
 */
import 'reflect-metadata';
import { Event, type HeraldConfig, Listener } from 'herald';

/**
 * Queues of the shards workload. Their names are their hash tags on a cluster (bullmq-keys.ts),
 * picked so each master of startRedisCluster(3) owns two: orders, emails on the first; search,
 * images on the second; billing, exports on the third. scale.ts prints the mapping it found.
 */
export const SPREAD_QUEUES = ['orders', 'emails', 'search', 'images', 'billing', 'exports'] as const;

/** The workloads a case runs. */
export type Workload = 'spread' | 'io' | 'cpu';

/** How long the I/O-bound listener awaits, and the CPU-bound one spins, per event (ms). */
export const IO_WAIT_MS = 50;
export const CPU_BUSY_MS = 2;

type HandleHook = (sentAt: number) => void;
let hook: HandleHook = () => {};

/** Sets what the listeners report on a worker (the producer never runs them). */
export function onScaleHandle(fn: HandleHook): void {
  hook = fn;
}

/** An event of the benchmark: when it was dispatched. */
interface Stamped {
  readonly seq: number;
  readonly sentAt: number;
}

type StampedClass = new (seq: number, sentAt: number) => Stamped;

/**
 * One event class per spread queue with one queued listener on it, so each dispatch is one job
 * on one queue and dispatching round-robin over the classes loads every queue alike. Built in a
 * loop (legacy decorators are plain functions) rather than written out six times.
 */
function spreadPair(queue: string): { event: StampedClass; listener: new () => object } {
  class SpreadEvent implements Stamped {
    constructor(
      readonly seq: number,
      readonly sentAt: number,
    ) {}
  }
  Event(`bench.scale.${queue}`)(SpreadEvent);
  class SpreadListener {
    handle(event: SpreadEvent): void {
      hook(event.sentAt);
    }
  }
  Listener(SpreadEvent, { queue, name: `Scale_${queue}` })(SpreadListener);
  return { event: SpreadEvent, listener: SpreadListener };
}

const SPREAD = SPREAD_QUEUES.map(spreadPair);

/** Dispatched to the I/O-bound listener. */
@Event('bench.scale.io')
export class IoEvent implements Stamped {
  constructor(
    readonly seq: number,
    readonly sentAt: number,
  ) {}
}

/** Dispatched to the CPU-bound listener. */
@Event('bench.scale.cpu')
export class CpuEvent implements Stamped {
  constructor(
    readonly seq: number,
    readonly sentAt: number,
  ) {}
}

/** Stands for a call to another service: awaits {@link IO_WAIT_MS}, uses no CPU meanwhile. */
@Listener(IoEvent, { queue: 'io', name: 'ScaleIo' })
export class IoListener {
  async handle(event: IoEvent): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, IO_WAIT_MS));
    hook(event.sentAt);
  }
}

/** Stands for rendering or hashing: {@link CPU_BUSY_MS} of busy work on the event loop. */
@Listener(CpuEvent, { queue: 'cpu', name: 'ScaleCpu' })
export class CpuListener {
  handle(event: CpuEvent): void {
    const until = performance.now() + CPU_BUSY_MS;
    while (performance.now() < until) {
      // spin: the point is to hold the event loop
    }
    hook(event.sentAt);
  }
}

/** The events a workload dispatches (round-robin) and the queues its worker works. */
export function workloadOf(workload: Workload): { events: StampedClass[]; queues: string[] } {
  if (workload === 'io') return { events: [IoEvent], queues: ['io'] };
  if (workload === 'cpu') return { events: [CpuEvent], queues: ['cpu'] };
  return { events: SPREAD.map((pair) => pair.event), queues: [...SPREAD_QUEUES] };
}

function listenersOf(workload: Workload): (new () => object)[] {
  if (workload === 'io') return [IoListener];
  if (workload === 'cpu') return [CpuListener];
  return SPREAD.map((pair) => pair.listener);
}

/** Where Redis is: one server, or the seeds of a cluster. */
export type Topology =
  | { readonly kind: 'single'; readonly url: string }
  | { readonly kind: 'cluster'; readonly nodes: readonly { host: string; port: number }[] };

/**
 * The queue drivers the bench runs. A `streams` row (once that driver takes `cluster`) is one
 * more member here and one more branch in {@link scaleConfig}; the sections iterate over it.
 */
export type ScaleDriver = 'bullmq';

/** The herald app of producer and workers: one connection on `topology` under `prefix`. */
export function scaleConfig(
  driver: ScaleDriver,
  workload: Workload,
  topology: Topology,
  prefix: string,
): HeraldConfig {
  const where = topology.kind === 'single' ? { url: topology.url } : { cluster: { nodes: topology.nodes } };
  return {
    listeners: listenersOf(workload),
    queue: { default: 'redis', connections: { redis: { driver, prefix, ...where } } },
  };
}

/** How a worker child is set up; passed as JSON in `BENCH_WORKER_SPEC`. */
export interface ScaleWorkerSpec {
  readonly driver: ScaleDriver;
  readonly workload: Workload;
  readonly topology: Topology;
  readonly prefix: string;
  /** Jobs at a time per queue (herald.work's `concurrency`). */
  readonly concurrency: number;
}

/** Parent → worker. */
export type ToScaleWorker = { readonly type: 'close' };

/** Worker → parent: `ready` once working, then `progress` whenever the count moved. */
export type FromScaleWorker =
  | { readonly type: 'ready' }
  | {
      readonly type: 'progress';
      readonly processed: number;
      /** When the last of them was handled (bench/queue-shared.ts' `now`). */
      readonly lastAt: number;
    };
