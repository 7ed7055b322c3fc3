import * as prom from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HeraldError, type JobReport } from '../../../src/index.js';
import { RUNTIME_BUCKETS, WAIT_BUCKETS } from '../../../src/metrics/prometheus-buckets.js';
import { loadPromClient } from '../../../src/metrics/prometheus-client.js';
import { PrometheusSeries, waitSecondsOf } from '../../../src/metrics/prometheus-series.js';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');

/** A report of an attempt that started `waitMs` after its dispatch at T0 and ran `durationMs`. */
function report(over: Partial<JobReport> & { waitMs?: number } = {}): JobReport {
  const { waitMs = 200, durationMs = 30, ...rest } = over;
  return {
    time: new Date(T0 + waitMs + durationMs),
    queue: 'emails',
    jobId: 'j1',
    listener: 'SendWelcome',
    event: 'user.signed-up',
    attempt: 1,
    dispatchedAt: T0,
    startedAt: T0 + waitMs,
    durationMs,
    outcome: 'completed',
    ...rest,
  };
}

/** One sample as getMetricsAsJSON gives it (histogram samples name their series). */
interface Sample {
  readonly labels: Record<string, string | number | undefined>;
  readonly value: number;
  readonly metricName?: string;
}

async function seriesOf(
  reports: readonly JobReport[],
): Promise<{ name: string; type: unknown; values: Sample[] }[]> {
  const registry = new prom.Registry();
  const series = new PrometheusSeries(prom, registry);
  for (const each of reports) series.record(each);
  return (await registry.getMetricsAsJSON()) as { name: string; type: unknown; values: Sample[] }[];
}

describe("herald's per-attempt Prometheus series", () => {
  it('counts attempts by listener, queue and status', async () => {
    const metrics = await seriesOf([
      report(),
      report({ jobId: 'j2' }),
      report({ jobId: 'j3', outcome: 'retrying', error: 'x' }),
      report({ jobId: 'j3', attempt: 2, outcome: 'failed', error: 'x' }),
      report({ queue: 'default', listener: 'Audit' }),
    ]);
    const jobs = metrics.find((metric) => metric.name === 'herald_jobs_total');
    expect(jobs?.type).toBe('counter');
    expect(jobs?.values).toEqual(
      expect.arrayContaining([
        { labels: { listener: 'SendWelcome', queue: 'emails', status: 'completed' }, value: 2 },
        { labels: { listener: 'SendWelcome', queue: 'emails', status: 'retrying' }, value: 1 },
        { labels: { listener: 'SendWelcome', queue: 'emails', status: 'failed' }, value: 1 },
        { labels: { listener: 'Audit', queue: 'default', status: 'completed' }, value: 1 },
      ]),
    );
    expect(jobs?.values).toHaveLength(4);
  });

  it('observes run time and wait in seconds, on the fixed buckets', async () => {
    const metrics = await seriesOf([
      report({ durationMs: 30, waitMs: 200 }),
      report({ durationMs: 2000, waitMs: 45_000 }),
    ]);
    const runtime = metrics.find((metric) => metric.name === 'herald_job_runtime_seconds');
    const wait = metrics.find((metric) => metric.name === 'herald_job_wait_seconds');
    expect(runtime?.type).toBe('histogram');
    const bounds = (values: typeof runtime) =>
      values?.values.filter((value) => value.metricName?.endsWith('_bucket')).map((value) => value.labels.le);
    expect(bounds(runtime)).toEqual([...RUNTIME_BUCKETS, '+Inf']);
    expect(bounds(wait)).toEqual([...WAIT_BUCKETS, '+Inf']);
    const sum = (metric: typeof runtime) =>
      metric?.values.find((value) => value.metricName?.endsWith('_sum'))?.value;
    expect(sum(runtime)).toBeCloseTo(2.03, 6);
    expect(sum(wait)).toBeCloseTo(45.2, 6);
    const bucket = (metric: typeof runtime, le: number) =>
      metric?.values.find((value) => value.metricName?.endsWith('_bucket') && value.labels.le === le)?.value;
    expect(bucket(runtime, 0.05)).toBe(1);
    expect(bucket(runtime, 2.5)).toBe(2);
    expect(bucket(wait, 0.25)).toBe(1);
    expect(bucket(wait, 30)).toBe(1);
    expect(bucket(wait, 60)).toBe(2);
    expect(runtime?.values[0]?.labels).toMatchObject({ listener: 'SendWelcome', queue: 'emails' });
  });

  it('leaves the wait out without a dispatch time, and never below zero', async () => {
    const { dispatchedAt: _, ...undated } = report();
    expect(waitSecondsOf(undated)).toBeUndefined();
    // The dispatching host's clock 5 s ahead of the worker's.
    expect(waitSecondsOf(report({ waitMs: -5000 }))).toBe(0);
    expect(waitSecondsOf(report({ waitMs: 1500, durationMs: 400 }))).toBe(1.5);
    const metrics = await seriesOf([undated]);
    const wait = metrics.find((metric) => metric.name === 'herald_job_wait_seconds');
    expect(wait?.values.find((value) => value.metricName?.endsWith('_count'))?.value ?? 0).toBe(0);
  });

  it('names the fix when prom-client cannot be loaded', async () => {
    const failure = await loadPromClient('herald-no-such-prom-client').catch((error: unknown) => error);
    expect(HeraldError.is(failure, 'unsupported')).toBe(true);
    expect((failure as Error).message).toContain('npm install prom-client');
    expect(await loadPromClient()).toHaveProperty('Registry');
  });
});
