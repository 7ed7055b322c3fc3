import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Event, Listener } from '../../src/index.js';
import {
  createFaultEnv,
  exitWithin,
  FAULT_QUEUE,
  type FaultEnv,
  faultProjectConfig,
  waitFor,
  waitUntilWorking,
} from './support/fault-harness.js';

// Big binary payloads on a real `herald queue:work` process (plain Node, where the old base64
// regex overflowed the stack from about 3.2 MiB), and jobs that cannot be decoded.

const MiB = 1024 * 1024;
const LIMIT = 16 * MiB;

/** The project's and the dispatcher's connection: a raised payload limit, herald's default unavailableTimeout. */
const BLOB_CONNECTION = { unavailableTimeout: undefined, maxPayloadBytes: LIMIT };

const LISTENER = `import { Event, Listener, type ListenerContext } from 'herald';
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';

const out = process.env.FAULT_OUT as string;

@Event('fault.blob')
export class BlobSent {
  constructor(readonly id: string, readonly blob: Buffer) {}
}

@Listener(BlobSent, { queue: '${FAULT_QUEUE}', name: 'StoreBlob', tries: 3, backoff: 10 })
export class StoreBlob {
  handle(event: BlobSent, ctx: ListenerContext): void {
    const sha = createHash('sha256').update(event.blob).digest('hex');
    appendFileSync(out, 'done ' + event.id + ' attempt=' + ctx.attempt + ' buffer=' + Buffer.isBuffer(event.blob) + ' sha=' + sha + '\\n');
  }
  failed(event: BlobSent): void {
    appendFileSync(out, 'failed() ' + event.id + '\\n');
  }
}
`;

/** The dispatching side: same wire names; never runs `handle`. */
@Event('fault.blob')
class BlobSent {
  constructor(
    readonly id: string,
    readonly blob: Buffer,
  ) {}
}

@Listener(BlobSent, { queue: FAULT_QUEUE, name: 'StoreBlob', tries: 3, backoff: 10 })
class StoreBlob {
  handle(_event: BlobSent): void {
    throw new Error('StoreBlob runs on the worker process, never in the test process.');
  }
}

function blob(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 131 + 7) % 256;
  return out;
}

function blobJob(id: string, base64: string): Record<string, unknown> {
  return {
    v: 1,
    dispatchId: `dispatch-${id}`,
    event: 'fault.blob',
    listener: 'StoreBlob',
    payload: { $t: 'cls', n: 'fault.blob', v: { id, blob: { $t: 'buf', v: base64 } } },
    dispatchedAt: new Date().toISOString(),
    meta: {},
  };
}

describe('fault: big binary payloads on a queue:work process', () => {
  let fault: FaultEnv;

  beforeEach(async () => {
    fault = await createFaultEnv({ 'src/listeners/blob.ts': LISTENER });
    fault.project.write('herald.config.ts', faultProjectConfig(BLOB_CONNECTION));
  });

  afterEach(() => fault.cleanup());

  it('a 3.3 MiB Buffer, accepted under a raised maxPayloadBytes, arrives intact on the first attempt', async () => {
    const herald = await fault.app([StoreBlob], BLOB_CONNECTION);
    const bytes = blob(Math.floor(3.3 * MiB));
    await herald.dispatch(new BlobSent('big', bytes));
    const worker = fault.spawnHerald(['queue:work']);
    await waitUntilWorking(worker);
    const describeWorker = () => `stdout: ${worker.stdout()}\nstderr: ${worker.stderr()}`;
    await waitFor('the job to finish', () => /completed|failed/.test(worker.stdout()), {
      timeoutMs: 30_000,
      describe: describeWorker,
    });
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(fault.lines(), describeWorker()).toEqual([`done big attempt=1 buffer=true sha=${sha}`]);
    worker.child.kill('SIGTERM');
    expect((await exitWithin(worker, 10_000)).code).toBe(0);
  }, 60_000);

  it('a job that cannot be decoded fails as bad_payload on its first attempt, is logged, and is never retried', async () => {
    const good = blob(Math.floor(3.3 * MiB)).toString('base64');
    const queue = fault.rawQueue();
    // attempts: 3 as herald writes for tries: 3, so BullMQ would retry anything herald let it.
    await queue.add('StoreBlob', blobJob('corrupt-big', `${good.slice(0, 5000)}!${good.slice(5001)}`), {
      jobId: 'corrupt-big',
      attempts: 3,
    });
    await queue.add('StoreBlob', blobJob('bad-padding', 'AR=='), { jobId: 'bad-padding', attempts: 3 });
    const worker = fault.spawnHerald(['queue:work']);
    await waitUntilWorking(worker);
    const describeWorker = () => `stdout: ${worker.stdout()}\nstderr: ${worker.stderr()}`;
    await waitFor('both jobs to fail', async () => (await fault.counts()).failed === 2, {
      timeoutMs: 30_000,
      describe: describeWorker,
    });
    // Give a wrongly scheduled retry (backoff 10 ms) time to show up before counting attempts.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const logged = worker.stdout().trim().split('\n');
    expect(logged, describeWorker()).toHaveLength(2);
    for (const line of logged) {
      expect(line).toMatch(
        /StoreBlob fault\.blob job \S+ attempt 1 .*failed.*event\.blob is a malformed "buf" node/,
      );
    }
    expect(fault.lines()).toEqual([]);

    const listed = await fault.herald(['queue:failed', '--json']);
    expect(listed.code).toBe(0);
    const failed = JSON.parse(listed.stdout) as { id: string; error: string; attempts: number }[];
    expect(failed.map((job) => job.id).sort()).toEqual([
      `${FAULT_QUEUE}:bad-padding`,
      `${FAULT_QUEUE}:corrupt-big`,
    ]);
    for (const job of failed) {
      expect(job.attempts, job.id).toBe(1);
      expect(job.error, job.id).toContain(
        'event.blob is a malformed "buf" node: v must be padded base64 text',
      );
    }
    expect(await fault.counts()).toMatchObject({ wait: 0, delayed: 0, active: 0, failed: 2 });
    worker.child.kill('SIGTERM');
    expect((await exitWithin(worker, 10_000)).code).toBe(0);
  }, 60_000);
});
