/**
 * The worker side of bench/queue.ts, run as a child process (`node --expose-gc jiti-cli
 * bench/queue-worker.ts`) so its CPU and RSS are its own. Either a herald worker
 * (`herald.work`) or a raw BullMQ Worker with a trivial processor; it counts handled jobs and
 * answers the producer over IPC. Not meant to be run by hand.
 */
import { type Job, Worker } from 'bullmq';
import { createHerald } from 'herald';
import {
  type FromWorker,
  heraldConfig,
  now,
  onHandle,
  QUEUE,
  type ToWorker,
  type WorkerSpec,
} from './queue-shared.js';

const spec = JSON.parse(process.env.BENCH_WORKER_SPEC ?? '') as WorkerSpec;

let processed = 0;
let lastAt = 0;
let target = Number.POSITIVE_INFINITY;
let latencies: number[] = [];
let peakRss = 0;

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

function send(message: FromWorker): void {
  process.send?.(message);
}

function handled(sentAt: number): void {
  const at = now();
  processed++;
  lastAt = at;
  if (spec.recordLatency) latencies.push(at - sentAt);
  if (processed === target) send({ type: 'reached', processed, at, cpuMicros: cpuMicros() });
}

async function start(): Promise<() => Promise<void>> {
  if (spec.mode === 'herald') {
    onHandle(handled);
    const herald = await createHerald(heraldConfig(spec.url, spec.prefix));
    const worker = await herald.work({ concurrency: spec.concurrency });
    return async () => {
      await worker.close();
      await herald.close();
    };
  }
  const worker = new Worker(
    QUEUE,
    async (job: Job<{ sentAt: number }>) => {
      handled(job.data.sentAt);
    },
    {
      connection: { host: spec.host, port: spec.port, maxRetriesPerRequest: null },
      prefix: spec.prefix,
      concurrency: spec.concurrency,
    },
  );
  worker.on('error', () => {});
  await worker.waitUntilReady();
  return () => worker.close();
}

const stop = await start();
// Sampled, not exact: catches a peak between the producer's quiet points.
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100);

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'expect':
      target = message.total;
      if (processed >= target) send({ type: 'reached', processed, at: lastAt, cpuMicros: cpuMicros() });
      return;
    case 'latencies':
      send({ type: 'latencies', values: latencies });
      latencies = [];
      return;
    case 'memory': {
      globalThis.gc?.();
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      send({
        type: 'memory',
        rss: usage.rss,
        heapUsed: usage.heapUsed,
        heapTotal: usage.heapTotal,
        external: usage.external,
        peakRss,
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
