import { addCounts, emptyCounts, type ListenerCounts } from './listener-counts.js';
import { HOUR_MS, MINUTE_MS, type MinuteCounts } from './metrics-batch.js';
import type { MetricsStore, WorkerHeartbeat } from './metrics-store.js';
import { readPeriods, resolutionOf } from './retention.js';

/**
 * Metrics of an in-process connection (`memory`), kept in this process with the same
 * resolutions and retention as on Redis: minutes for 24 h, hours for 14 days, so memory stays
 * bounded whatever the job count (one entry per listener per minute or hour, pruned on write).
 */
export class MemoryMetrics implements MetricsStore {
  readonly #minutes: MinuteCounts = new Map();
  readonly #hours: MinuteCounts = new Map();
  #prunedAt = 0;

  async write(batch: MinuteCounts): Promise<void> {
    this.add(batch);
  }

  /** Adds a batch at once (synchronous: memory jobs report on the hot path). */
  add(batch: MinuteCounts): void {
    for (const [minute, listeners] of batch) {
      merge(this.#minutes, minute, listeners);
      merge(this.#hours, Math.floor((minute * MINUTE_MS) / HOUR_MS), listeners);
    }
    const now = Date.now();
    if (now - this.#prunedAt < MINUTE_MS) return;
    this.#prunedAt = now;
    const { minutes, hours } = readPeriods(now);
    for (const minute of this.#minutes.keys()) if (minute < minutes.first) this.#minutes.delete(minute);
    for (const hour of this.#hours.keys()) if (hour < hours.first) this.#hours.delete(hour);
  }

  async read(since: number, until: number): Promise<Map<string, ListenerCounts>> {
    const { periods, unit } = resolutionOf(since, until);
    const source = unit === 'minute' ? this.#minutes : this.#hours;
    const total = new Map<string, ListenerCounts>();
    for (let period = periods.first; period <= periods.last; period++) {
      merge(total, undefined, source.get(period));
    }
    return total;
  }

  async workers(): Promise<WorkerHeartbeat[]> {
    return [];
  }
}

/** Adds listeners' counts into `into` (at `period`, or straight into `into` as a per-listener map). */
function merge(
  into: MinuteCounts | Map<string, ListenerCounts>,
  period: number | undefined,
  listeners: Map<string, ListenerCounts> | undefined,
): void {
  if (listeners === undefined) return;
  let target: Map<string, ListenerCounts>;
  if (period === undefined) target = into as Map<string, ListenerCounts>;
  else {
    const periods = into as MinuteCounts;
    target = periods.get(period) ?? new Map();
    periods.set(period, target);
  }
  for (const [listener, counts] of listeners) {
    let existing = target.get(listener);
    if (existing === undefined) {
      existing = emptyCounts();
      target.set(listener, existing);
    }
    addCounts(existing, counts);
  }
}
