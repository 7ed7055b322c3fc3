/**
 * What the streams benchmark's producer (bench/streams.ts) and its worker child process
 * (bench/streams-worker.ts) share: the event, its three listeners, the app config, the raw
 * loop's stream and group, and the worker spec. The IPC messages and the clock are
 * bench/queue-shared.ts' (the worker child speaks the same protocol as bench/queue-worker.ts).
 */
import 'reflect-metadata';
import { Event, type HeraldConfig, Listener } from 'herald';

/** The benchmark's event: a sequence number and when it was dispatched. */
@Event('bench.streamed')
export class StreamedEvent {
  constructor(
    readonly seq: number,
    readonly sentAt: number,
  ) {}
}

type HandleHook = (sentAt: number) => void;
let hook: HandleHook = () => {};

/** Sets what the listeners do on the worker (the producer never runs them). */
export function onStreamHandle(fn: HandleHook): void {
  hook = fn;
}

/** The connection every listener reads from. */
export const CONNECTION = 'log';

// Three trivial listeners on the streams connection: each reads the stream through its own
// consumer group, so one entry is handled once per listener.
@Listener(StreamedEvent, { connection: CONNECTION, name: 'StreamA' })
export class StreamA {
  handle(event: StreamedEvent): void {
    hook(event.sentAt);
  }
}

@Listener(StreamedEvent, { connection: CONNECTION, name: 'StreamB' })
export class StreamB {
  handle(event: StreamedEvent): void {
    hook(event.sentAt);
  }
}

@Listener(StreamedEvent, { connection: CONNECTION, name: 'StreamC' })
export class StreamC {
  handle(event: StreamedEvent): void {
    hook(event.sentAt);
  }
}

const LISTENERS = [StreamA, StreamB, StreamC];

/** The herald app of both processes: one `streams` connection, `listeners` (1 or 3) of its listeners. */
export function streamsConfig(url: string, prefix: string, listeners: number): HeraldConfig {
  return {
    listeners: LISTENERS.slice(0, listeners),
    queue: { default: CONNECTION, connections: { [CONNECTION]: { driver: 'streams', url, prefix } } },
  };
}

/** The key herald appends the event to (stream = wire name, partition 0), under `prefix`. */
export function heraldStreamKey(prefix: string): string {
  return `${prefix}:bench.streamed:0`;
}

/** The raw loop's stream key and consumer group. */
export function rawStreamKey(prefix: string): string {
  return `${prefix}:raw:0`;
}
export const RAW_GROUP = 'raw';

/** How the streams worker child is set up; passed as JSON in `BENCH_WORKER_SPEC`. */
export interface StreamsWorkerSpec {
  /** `herald`: herald.work() on the streams connection; `raw`: an XREADGROUP / XACK loop. */
  readonly mode: 'herald' | 'raw';
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly prefix: string;
  /** herald mode: how many of the three listeners the app has. */
  readonly listeners: number;
  readonly concurrency: number;
  /** Keep every append→handle latency (latency case only: 200k numbers would skew RSS). */
  readonly recordLatency: boolean;
}
