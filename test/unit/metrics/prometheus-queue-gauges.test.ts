import * as prom from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PrometheusQueueGauges, type QueueSnapshot } from '../../../src/metrics/prometheus-queue-gauges.js';

const group = (name: string, lag: number | null, pending: number, dead: number) => ({
  group: name,
  lag,
  pending,
  dead,
  oldestPendingMs: null,
});

describe('the queue gauges, read at each scrape', () => {
  it('reports jobs by queue and state, stream groups over partitions, and unreadable connections', async () => {
    let reads = 0;
    const snapshots: QueueSnapshot[] = [
      {
        queues: [
          { queue: 'emails', waiting: 4, active: 1, delayed: 2, failed: 3 },
          { queue: 'default', waiting: 0, active: 0, delayed: 0, failed: 0 },
        ],
        streams: [
          { stream: 'orders', partition: 0, key: 'k0', length: 9, groups: [group('Project', 5, 1, 0)] },
          { stream: 'orders', partition: 1, key: 'k1', length: 4, groups: [group('Project', 2, 0, 1)] },
          { stream: 'orders', partition: 2, key: 'k2', length: 1, groups: [group('Project', null, 0, 0)] },
        ],
        unreadable: [],
      },
      { queues: [], streams: [], unreadable: ['redis'] },
    ];
    const registry = new prom.Registry();
    new PrometheusQueueGauges(prom, registry, async () => snapshots[reads++] as QueueSnapshot);

    const first = await registry.metrics();
    // One read serves both gauges of a scrape.
    expect(reads).toBe(1);
    for (const [state, value] of [
      ['waiting', 4],
      ['active', 1],
      ['delayed', 2],
      ['failed', 3],
    ] as const)
      expect(first).toContain(`herald_queue_jobs{queue="emails",state="${state}"} ${value}\n`);
    expect(first).toContain('herald_queue_jobs{queue="default",state="waiting"} 0\n');
    expect(first).toContain('herald_stream_group_entries{stream="orders",group="Project",state="lag"} 7\n');
    expect(first).toContain(
      'herald_stream_group_entries{stream="orders",group="Project",state="pending"} 1\n',
    );
    expect(first).toContain('herald_stream_group_entries{stream="orders",group="Project",state="dead"} 1\n');

    // Redis down on the next scrape: the gauges empty (no stale counts), the error is counted.
    const second = await registry.metrics();
    expect(reads).toBe(2);
    expect(second).not.toMatch(/^herald_queue_jobs\{/m);
    expect(second).not.toMatch(/^herald_stream_group_entries\{/m);
    expect(second).toContain('herald_queue_state_errors_total{connection="redis"} 1\n');
  });
});
