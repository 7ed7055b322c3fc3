import type { QueueDriver } from '../queue/driver.js';
import { pushOrWrite } from '../queue/job/outbox-sink.js';
import type { QueueBridge } from '../queue/job/queue-bridge.js';
import type { QueuedJob } from '../queue/job/queued-job.js';
import type { SendTarget } from '../telemetry/herald-tracing.js';
import { messagingSystemOf } from '../telemetry/messaging-attributes.js';
import { activeTracing } from '../telemetry/otel-switch.js';

/**
 * Pushes a job or a stream append; with tracing on, inside a `send` span whose context the job
 * carries in `meta.traceparent` (the wire format's field for it), so the worker's `process` span
 * joins the dispatch's trace. With tracing off the job is pushed untouched. Inside a transaction
 * scope of an app with an outbox, the push is an outbox row instead (outbox-sink.ts).
 */
export function pushJob(bridge: QueueBridge, driver: QueueDriver, job: QueuedJob): Promise<void> {
  const tracing = activeTracing();
  const { outbox } = bridge;
  if (tracing === undefined)
    return outbox === undefined ? driver.push(job) : pushOrWrite(outbox, driver, job);
  return tracing.send(sendTargetOf(bridge, driver, job), (traceparent) =>
    pushOrWrite(outbox, driver, { ...job, data: { ...job.data, meta: { ...job.data.meta, traceparent } } }),
  );
}

function sendTargetOf(bridge: QueueBridge, driver: QueueDriver, job: QueuedJob): SendTarget {
  const kind = bridge.driverKind(driver.connection);
  return {
    system: messagingSystemOf(kind),
    // A log driver appends to the event's stream (its `stream` option, else its wire name).
    destination:
      kind === 'streams' ? (job.stream?.name ?? job.data.event) : (job.options.queue ?? driver.defaultQueue),
    event: job.data.event,
    listener: job.data.listener,
    dispatchId: job.data.dispatchId,
  };
}
