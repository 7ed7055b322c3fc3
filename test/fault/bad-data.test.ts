import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFaultEnv,
  exitWithin,
  FAULT_QUEUE,
  type FaultEnv,
  waitFor,
  waitUntilWorking,
} from './support/fault-harness.js';
import { doneIds, RecordTick, TICK_LISTENER_SOURCE, Tick, tickJob } from './support/tick.js';

/** JSON.parse makes `__proto__` an own key, exactly as a worker reads it off Redis. */
function hostilePayload(json: string): unknown {
  return JSON.parse(json);
}

/** job id → [data pushed with raw BullMQ, what the failed job's message must say]. */
const BAD_JOBS: Record<string, [unknown, RegExp]> = {
  'bad-version': [{ ...tickJob('a'), v: 2 }, /wire format version 2.*this worker reads version 1/],
  'bad-listener': [
    { ...tickJob('b'), listener: 'NoSuchListener' },
    /No listener named "NoSuchListener" is registered in this worker/,
  ],
  'bad-event': [
    { ...tickJob('c'), event: 'no.such.event' },
    /event "no\.such\.event" is not known to this worker/,
  ],
  'bad-proto': [
    {
      ...tickJob('d1'),
      payload: hostilePayload('{"$t":"cls","n":"fault.tick","v":{"id":"d1","__proto__":{"polluted":"yes"}}}'),
    },
    /event\.__proto__ is a "__proto__" key.*prototype pollution/,
  ],
  'bad-constructor': [
    {
      ...tickJob('d2'),
      payload: hostilePayload(
        '{"$t":"cls","n":"fault.tick","v":{"id":"d2","constructor":{"prototype":{"polluted":"yes"}}}}',
      ),
    },
    /"constructor" key.*prototype pollution/,
  ],
  'bad-nested-proto': [
    {
      ...tickJob('d3'),
      payload: hostilePayload('{"$t":"cls","n":"fault.tick","v":{"id":{"__proto__":{"polluted":"yes"}}}}'),
    },
    /event\.id\.__proto__ is a "__proto__" key/,
  ],
  'bad-number': [42, /The job's data is not an object/],
  'bad-null': [null, /The job's data is not an object/],
  'bad-array': [[1, 2, 3], /The job's data is not an object/],
  'bad-text': ['not json at all', /The job's data is not valid JSON/],
  'bad-missing-fields': [{ v: 1, event: 'fault.tick' }, /"dispatchId" must be a non-empty string/],
  'bad-no-payload': [{ ...tickJob('e'), payload: undefined }, /The job has no "payload"/],
};

/** Written straight into the job's Redis hash after adding it: what no JSON.stringify makes. */
const MALFORMED_ID = 'bad-malformed-json';
const MALFORMED_DATA = '{"v":1,"dispatchId":"x","event":';

describe('fault: bad job data on the queue', () => {
  let fault: FaultEnv;

  beforeEach(async () => {
    fault = await createFaultEnv({ 'src/listeners/tick.ts': TICK_LISTENER_SOURCE });
  });

  afterEach(() => fault.cleanup());

  it('fails each bad job with a message that says what is wrong, keeps the worker running and Object.prototype clean', async () => {
    const queue = fault.rawQueue();
    for (const [jobId, [data]] of Object.entries(BAD_JOBS)) await queue.add('RecordTick', data, { jobId });
    await queue.add('RecordTick', tickJob('f'), { jobId: MALFORMED_ID });
    await fault.writeJobField(MALFORMED_ID, 'data', MALFORMED_DATA);
    const badCount = Object.keys(BAD_JOBS).length + 1;
    expect((await fault.counts()).wait).toBe(badCount);

    const worker = fault.spawnHerald(['queue:work']);
    await waitUntilWorking(worker);
    await waitFor(
      `all ${badCount} bad jobs to fail`,
      async () => {
        const counts = await fault.counts();
        return counts.failed === badCount;
      },
      {
        timeoutMs: 15_000,
        intervalMs: 100,
        describe: () =>
          `worker exited: ${worker.hasExited()}\nstdout: ${worker.stdout()}\nstderr: ${worker.stderr()}`,
      },
    );

    // The worker is still taking jobs: a good one dispatched after the bad ones runs.
    const herald = await fault.app([RecordTick]);
    await herald.dispatch(new Tick('good-1'));
    await waitFor('the good job to run', () => doneIds(fault.lines()).includes('good-1'), {
      describe: () => `stdout: ${worker.stdout()}\nstderr: ${worker.stderr()}`,
    });
    expect(worker.hasExited()).toBe(false);
    // No bad job ran its listener, and a fresh object in the worker sees no `polluted`.
    expect(fault.lines()).toEqual(['start good-1', 'done good-1 attempt=1 polluted=undefined']);

    const listed = await fault.herald(['queue:failed', '--json']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const failed = new Map(
      (JSON.parse(listed.stdout) as { id: string; error: string; attempts: number }[]).map((job) => [
        job.id,
        job,
      ]),
    );
    // herald's ids name the queue: `<queue>:<BullMQ id>`.
    const idOf = (bullMqId: string) => `${FAULT_QUEUE}:${bullMqId}`;
    expect([...failed.keys()].sort()).toEqual([...Object.keys(BAD_JOBS), MALFORMED_ID].map(idOf).sort());
    for (const [jobId, [, message]] of Object.entries(BAD_JOBS)) {
      expect(failed.get(idOf(jobId))?.error, jobId).toMatch(message);
      expect(failed.get(idOf(jobId))?.attempts, jobId).toBe(1);
    }
    expect(failed.get(idOf(MALFORMED_ID))?.error).toMatch(/The job's data is not valid JSON/);
    expect(await fault.counts()).toMatchObject({
      active: 0,
      wait: 0,
      delayed: 0,
      completed: 1,
      failed: badCount,
    });

    // The failed-job commands read a job whose data is not JSON without crashing.
    // A bare BullMQ id is not a herald id (it is only unique within its queue): nothing is deleted.
    const bare = await fault.herald(['queue:forget', MALFORMED_ID]);
    expect(bare.stderr).toContain(`No failed job with id ${MALFORMED_ID}: see herald queue:failed.`);
    expect(bare.code).toBe(1);
    expect((await fault.counts()).failed).toBe(badCount);
    const forgot = await fault.herald(['queue:forget', idOf(MALFORMED_ID)]);
    expect(forgot.stderr).toBe('');
    expect(forgot.stdout).toContain(`Deleted failed job ${idOf(MALFORMED_ID)}.`);
    expect((await fault.counts()).failed).toBe(badCount - 1);

    worker.child.kill('SIGTERM');
    expect((await exitWithin(worker, 10_000)).code).toBe(0);
  }, 45_000);
});
