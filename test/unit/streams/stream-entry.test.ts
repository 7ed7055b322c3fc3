import { describe, expect, it } from 'vitest';
import { entryFields, jobDataOf } from '../../../src/queue/drivers/streams/stream-entry.js';

const data = {
  v: 1,
  dispatchId: 'd-1',
  event: 'orders.placed',
  listener: 'ignored',
  payload: { orderId: 'o-1', total: 42 },
  dispatchedAt: '2026-01-01T00:00:00.000Z',
  meta: {},
} as const;

describe('stream entries: jobDataOf', () => {
  it('reads an entry written by entryFields back as the job data, with the listener', () => {
    expect(jobDataOf(entryFields(data), 'Projector')).toEqual({ ...data, listener: 'Projector' });
  });

  it('keeps the trace context of meta', () => {
    const traced = { ...data, meta: { traceparent: '00-abc-def-01' } };
    expect(jobDataOf(entryFields(traced), 'L')).toEqual({ ...traced, listener: 'L' });
  });

  it('reads fields in another order, and keeps extra fields', () => {
    const fields = ['event', 'e', 'v', '1', 'payload', '{"a":1}', 'dispatchId', 'd', 'extra', 'x'];
    expect(jobDataOf(fields, 'L')).toEqual({
      event: 'e',
      v: 1,
      payload: { a: 1 },
      dispatchId: 'd',
      extra: 'x',
      listener: 'L',
    });
  });

  it('leaves out a payload that is not JSON, and keeps a meta that is not JSON as text', () => {
    const fields = entryFields(data);
    fields[7] = 'not json';
    fields[11] = 'nor this';
    const read = jobDataOf(fields, 'L') as Record<string, unknown>;
    expect('payload' in read).toBe(false);
    expect(read.meta).toBe('nor this');
  });

  it('keeps a meta that is not JSON as text beside a JSON payload', () => {
    const fields = entryFields(data);
    fields[11] = '{broken';
    expect(jobDataOf(fields, 'L')).toEqual({ ...data, meta: '{broken', listener: 'L' });
  });
});
