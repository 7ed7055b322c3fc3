/**
 * The worker side of bench/queue.ts, run as a child process (`node --expose-gc jiti-cli
 * bench/queue-worker.ts`) so its CPU and RSS are its own. Either a herald worker
 * (`herald.work`) or a raw BullMQ Worker with a trivial processor; it counts handled jobs and
 * answers the producer over IPC (bench/worker-ipc.ts). Not meant to be run by hand.
 */
import { type Job, Worker } from 'bullmq';
import { createHerald } from 'herald';
import { heraldConfig, onHandle, QUEUE, type WorkerSpec } from './queue-shared.js';
import { WorkerIpc } from './worker-ipc.js';

const spec = JSON.parse(process.env.BENCH_WORKER_SPEC ?? '') as WorkerSpec;
const ipc = new WorkerIpc(spec.recordLatency);

async function start(): Promise<() => Promise<void>> {
  if (spec.mode === 'herald') {
    onHandle(ipc.handled);
    // Read when the app is made (src/metrics/app-metrics.ts): the metrics on/off comparison.
    if (spec.metrics === false) process.env.HERALD_METRICS = 'off';
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
      ipc.handled(job.data.sentAt);
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

ipc.serve(await start());
