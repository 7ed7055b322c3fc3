import type { Counter, Gauge, Registry } from 'prom-client';
import type { QueueStateCounts } from '../queue/queue-states.js';
import type { StreamPartitionState } from '../queue/stream-admin.js';
import type { PromClient } from './prometheus-client.js';

/** What one scrape reads of the watched connections. */
export interface QueueSnapshot {
  /** Jobs by state of the watched queues of queue connections (bullmq). */
  readonly queues: readonly QueueStateCounts[];
  /** The partitions of the watched log connections (streams) with their groups. */
  readonly streams: readonly StreamPartitionState[];
  /** Connections that could not be read this time (Redis down): their series are left out. */
  readonly unreadable: readonly string[];
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The series read at each scrape rather than counted (another process may add or take the jobs):
 * - `herald_queue_jobs{queue,state}`: jobs of each watched queue by state (`waiting`, `active`,
 *   `delayed`, `failed`); queues of the same name on two connections add up;
 * - `herald_stream_group_entries{stream,group,state}` on `streams`: `lag` (not yet delivered to
 *   the listener's group), `pending` (delivered, not acknowledged), `dead` (dead-lettered), summed
 *   over partitions;
 * - `herald_queue_state_errors_total{connection}`: scrapes that could not read a connection.
 * One read serves every series of a scrape.
 */
export class PrometheusQueueGauges {
  readonly #read: () => Promise<QueueSnapshot>;
  #reading: Promise<QueueSnapshot> | undefined;

  constructor(prom: PromClient, registry: Registry, read: () => Promise<QueueSnapshot>) {
    this.#read = read;
    const registers = [registry];
    const gauges = this;
    new prom.Counter({
      name: 'herald_queue_state_errors_total',
      help: 'Scrapes that could not read the job counts of a queue connection (Redis unreachable).',
      labelNames: ['connection'],
      registers,
      async collect(this: Counter<'connection'>) {
        for (const connection of (await gauges.#snapshot()).unreadable) this.inc({ connection });
      },
    });
    new prom.Gauge({
      name: 'herald_queue_jobs',
      help: 'Jobs of each queue the workers take jobs from, by state (waiting, active, delayed, failed).',
      labelNames: ['queue', 'state'],
      registers,
      async collect(this: Gauge<'queue' | 'state'>) {
        const snapshot = await gauges.#snapshot();
        this.reset();
        for (const counts of snapshot.queues) {
          for (const state of QUEUE_STATES) this.inc({ queue: counts.queue, state }, counts[state]);
        }
      },
    });
    new prom.Gauge({
      name: 'herald_stream_group_entries',
      help: 'Entries of each stream by listener group and state (lag, pending, dead), over partitions.',
      labelNames: ['stream', 'group', 'state'],
      registers,
      async collect(this: Gauge<'stream' | 'group' | 'state'>) {
        const snapshot = await gauges.#snapshot();
        this.reset();
        for (const partition of snapshot.streams) {
          for (const group of partition.groups) {
            const labels = { stream: partition.stream, group: group.group };
            if (group.lag !== null) this.inc({ ...labels, state: 'lag' }, group.lag);
            this.inc({ ...labels, state: 'pending' }, group.pending);
            this.inc({ ...labels, state: 'dead' }, group.dead);
          }
        }
      },
    });
  }

  /** The scrape's one read: the series collected together share it. */
  #snapshot(): Promise<QueueSnapshot> {
    if (this.#reading === undefined) {
      const reading = this.#read();
      this.#reading = reading;
      const clear = () => {
        if (this.#reading === reading) this.#reading = undefined;
      };
      reading.then(clear, clear);
    }
    return this.#reading;
  }
}
