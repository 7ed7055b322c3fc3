import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/index.js';
import { storeError } from '../../../src/queue/drivers/bullmq/push-errors.js';
import { WIRE_FORMAT_VERSION } from '../../../src/queue/job/job-payload.js';
import type { QueuedJob } from '../../../src/queue/job/queued-job.js';

const JOB: QueuedJob = {
  data: {
    v: WIRE_FORMAT_VERSION,
    dispatchId: 'd-1',
    event: 'orders.placed',
    listener: 'SendReceipt',
    payload: { orderId: 'o-1' },
    dispatchedAt: new Date(0).toISOString(),
    meta: {},
  },
  options: {
    queue: undefined,
    delay: 0,
    tries: 1,
    backoff: undefined,
    timeout: undefined,
    priority: 1.5,
    retryUntil: undefined,
    unique: undefined,
  },
};

const unavailable = (cause: unknown) => new HeraldError('queue_unavailable', 'Redis is down', { cause });

describe('storeError() - what a refused BullMQ add becomes', () => {
  it('a job BullMQ refuses (its own validation message) is invalid_argument naming the listener, not config_invalid', () => {
    const refusal = new Error('Priority should not be float');
    const error = storeError(refusal, [JOB], 'redis://127.0.0.1:6379', unavailable);
    expect(error.kind).toBe('invalid_argument');
    expect(error.message).toContain('SendReceipt for orders.placed');
    expect(error.message).toContain('Priority should not be float');
    expect(error.cause).toBe(refusal);
  });

  it('a connection problem stays queue_unavailable', () => {
    const error = storeError(new Error('connect ECONNREFUSED'), [JOB], 'redis://127.0.0.1:6379', unavailable);
    expect(error.kind).toBe('queue_unavailable');
  });
});
