/**
 * The worker side of bench/scale.ts, run as a child process (`node jiti-cli
 * bench/scale-worker.ts`), one or several at once: `herald.work()` on the spec's workload and
 * topology. It counts handled events and reports the count (and when the last one ran) to the
 * parent every few milliseconds while it moves, so the parent can add up several workers.
 * Not meant to be run by hand.
 */
import { createHerald } from 'herald';
import { now } from './queue-shared.js';
import {
  type FromScaleWorker,
  onScaleHandle,
  type ScaleWorkerSpec,
  scaleConfig,
  type ToScaleWorker,
  workloadOf,
} from './scale-shared.js';

/** How often a moving count is reported. The end time is the last handle's, not the report's. */
const REPORT_EVERY_MS = 20;

const spec = JSON.parse(process.env.BENCH_WORKER_SPEC ?? '') as ScaleWorkerSpec;

function send(message: FromScaleWorker): void {
  process.send?.(message);
}

let processed = 0;
let lastAt = 0;
let reported = 0;
onScaleHandle(() => {
  processed++;
  lastAt = now();
});

const herald = await createHerald(scaleConfig(spec.driver, spec.workload, spec.topology, spec.prefix));
const worker = await herald.work({
  queues: workloadOf(spec.workload).queues,
  concurrency: spec.concurrency,
  onError: (error) => console.error(`scale worker ${process.pid}: ${error.message}`),
});

const reporter = setInterval(() => {
  if (processed === reported) return;
  reported = processed;
  send({ type: 'progress', processed, lastAt });
}, REPORT_EVERY_MS);

process.on('message', (message: ToScaleWorker) => {
  if (message.type !== 'close') return;
  clearInterval(reporter);
  // No process.exit(): the child must end on its own once its connections are closed.
  void worker
    .close()
    .then(() => herald.close())
    .then(() => process.disconnect());
});
send({ type: 'ready' });
