import { Queue } from 'bullmq';
import { Event, Listener } from '../../../../src/index.js';
import { testRedisUrl } from '../../../support/redis-url.js';

/** An event whose listeners show each afterCommit rule; its id is `a-<n>`. */
@Event('outbox-ac.paid')
export class Paid {
  constructor(readonly id: string) {}
}

/** Queued, afterCommit, bullmq: with an outbox a row written in the transaction. */
@Listener(Paid, { queue: true, connection: 'redis', afterCommit: true, name: 'Receipt' })
export class Receipt {
  handle(): void {}
}

/** Queued, afterCommit, in-process: still held until the commit. */
@Listener(Paid, { queue: true, connection: 'memory', afterCommit: true, name: 'Memo' })
export class Memo {
  static readonly handled: string[] = [];
  handle(event: Paid): void {
    Memo.handled.push(event.id);
  }
}

/** An afterCommit event with only queued listeners: its job is a row written now. */
@Event('outbox-ac.closed', { afterCommit: true })
export class Closed {
  constructor(readonly id: string) {}
}

@Listener(Closed, { queue: true, connection: 'redis', name: 'Archive' })
export class Archive {
  handle(): void {}
}

/** An afterCommit event with a sync listener: held whole, dispatched after the commit. */
@Event('outbox-ac.refunded', { afterCommit: true })
export class Refunded {
  constructor(readonly id: string) {}
}

@Listener(Refunded, { name: 'CountRefund' })
export class CountRefund {
  static readonly seen: string[] = [];
  handle(event: Refunded): void {
    CountRefund.seen.push(event.id);
  }
}

@Listener(Refunded, { queue: true, connection: 'redis', name: 'NotifyRefund' })
export class NotifyRefund {
  handle(): void {}
}

/** An afterCommit event appended to the stream `ledger` (no listener): the append is a row. */
@Event('outbox-ac.booked', { afterCommit: true, stream: 'ledger' })
export class Booked {
  constructor(readonly id: string) {}
}

export const AFTER_COMMIT_LISTENERS = [Receipt, Memo, Archive, CountRefund, NotifyRefund];

/** `<listener>:<id>` of every job in the bullmq queue `default` under `prefix`, sorted. */
export async function jobsIn(prefix: string): Promise<string[]> {
  const queue = new Queue('default', { connection: { url: testRedisUrl() }, prefix });
  try {
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed']);
    return jobs
      .map((job) => `${job.data.listener}:${JSON.stringify(job.data.payload).match(/"(a-\d+)"/)?.[1]}`)
      .sort();
  } finally {
    await queue.close();
  }
}
