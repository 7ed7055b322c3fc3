import type { Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import type { BullMqWorkerSource } from './bullmq-worker-source.js';

/**
 * Closes BullMQ workers, then the Cluster clients herald handed them (redis-client.ts'
 * `workerConnection`). BullMQ duplicates a Cluster it is given, and closes the duplicates, but
 * leaves the given client open as the caller's, and it does connect it (to the slot owner and
 * one node more). Without this each queue of a closed worker kept two sockets, and a worker
 * process on a cluster never exited after `close()`. Never throws: a worker that failed to
 * close is as closed as it gets.
 */
export async function closeWorkers(
  workers: readonly Worker[],
  force: boolean,
  driver: Pick<BullMqWorkerSource, 'ownsWorkerConnection'>,
): Promise<void> {
  await Promise.allSettled(workers.map((worker) => worker.close(force)));
  for (const worker of workers) {
    const { connection } = worker.opts;
    // A createClient client serves every worker of the connection: the driver closes it.
    if (connection instanceof Cluster && !driver.ownsWorkerConnection(connection)) connection.disconnect();
  }
}
