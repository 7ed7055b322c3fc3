import type { OverviewCounters } from './dashboard-data.js';
import { formatCount, formatMs, formatPercent, formatRate } from './format.js';

/** Keys of the overview counters: `data-live` and `data-testid="counter-<key>"` on the page. */
export type CounterKey =
  | 'throughput'
  | 'processed'
  | 'failed'
  | 'failureRate'
  | 'waiting'
  | 'active'
  | 'delayed'
  | 'failedTotal'
  | 'workers'
  | 'oldestWait';

/** Each counter as the page prints it; the live stream sends the same text. */
export function displayCounters(counters: OverviewCounters): Record<CounterKey, string> {
  return {
    throughput: `${formatRate(counters.throughput)}/min`,
    processed: formatCount(counters.processed),
    failed: formatCount(counters.failed),
    failureRate: formatPercent(counters.failureRate),
    waiting: formatCount(counters.waiting),
    active: formatCount(counters.active),
    delayed: formatCount(counters.delayed),
    failedTotal: formatCount(counters.failedTotal),
    workers: formatCount(counters.workers),
    oldestWait: formatMs(counters.oldestWaitMs),
  };
}
