import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFaultEnv, FAULT_QUEUE, type FaultEnv } from './support/fault-harness.js';
import { doneIds, TICK_LISTENER_SOURCE, tickJob } from './support/tick.js';

/** BullMQ job id → [hash field to spoil, the value written, what the failed job must say]. */
const CORRUPT: Record<string, [string, string, RegExp]> = {
  'bad-opts': ['opts', '{"attempts":', /"opts" field is not valid JSON/],
  'bad-atm': ['atm', 'lots', /"atm" \(attempts made\) field is not a whole number \("lots"\)/],
};

describe('fault: a job whose stored BullMQ fields are corrupt', () => {
  let fault: FaultEnv;

  beforeEach(async () => {
    fault = await createFaultEnv({ 'src/listeners/tick.ts': TICK_LISTENER_SOURCE });
  });

  afterEach(() => fault.cleanup());

  it('ends in the failed list with the reason, and the worker goes on and stops when empty', async () => {
    const queue = fault.rawQueue();
    for (const jobId of Object.keys(CORRUPT)) await queue.add('RecordTick', tickJob(jobId), { jobId });
    await queue.add('RecordTick', tickJob('fine'), { jobId: 'fine' });
    for (const [jobId, [field, value]] of Object.entries(CORRUPT)) {
      await fault.writeJobField(jobId, field, value);
    }

    const worker = await fault.herald(['queue:work', '--stop-when-empty'], { timeoutMs: 20_000 });
    expect(worker.code, worker.stderr).toBe(0);
    expect(doneIds(fault.lines())).toEqual(['fine']);

    const listed = await fault.herald(['queue:failed', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const failed = new Map(
      (JSON.parse(listed.stdout) as { id: string; error: string }[]).map((job) => [job.id, job.error]),
    );
    for (const [jobId, [, , message]] of Object.entries(CORRUPT)) {
      expect(failed.get(`${FAULT_QUEUE}:${jobId}`), jobId).toMatch(message);
    }
    expect(await fault.counts()).toMatchObject({ active: 0, wait: 0, delayed: 0, completed: 1, failed: 2 });
  }, 45_000);
});
