/**
 * Starts bench/queue-worker.ts (or another worker script speaking the same messages, such as
 * bench/streams-worker.ts) in a child process (Node + jiti, with `--expose-gc`) and talks to
 * it over IPC: "tell me when you have handled N jobs", latencies, memory, close.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ToWorker } from './queue-shared.js';

type Reply<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

const EXIT_TIMEOUT_MS = 15_000;
const EXPECT_TIMEOUT_MS = 300_000;

const jitiCli = join(
  dirname(createRequire(import.meta.url).resolve('jiti/package.json')),
  'lib/jiti-cli.mjs',
);
const workerScript = fileURLToPath(new URL('./queue-worker.ts', import.meta.url));

/** A running worker child. */
export class WorkerChild {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<string, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();
  readonly #exited: Promise<number | null>;
  #exitedYet = false;

  private constructor(spec: object, script: string) {
    // BENCH_WORKER_NODE_ARGS: extra Node flags for the worker, e.g. `--cpu-prof` to profile it.
    const extra = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    this.#child = spawn(process.execPath, ['--expose-gc', ...extra, jitiCli, script], {
      env: { ...process.env, BENCH_WORKER_SPEC: JSON.stringify(spec) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (message: FromWorker) => {
      const waiter = this.#waiting.get(message.type);
      this.#waiting.delete(message.type);
      waiter?.resolve(message);
    });
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code) => {
        this.#exitedYet = true;
        for (const waiter of this.#waiting.values())
          waiter.reject(new Error(`the worker child exited (code ${code}) before answering`));
        this.#waiting.clear();
        resolve(code);
      });
    });
  }

  /**
   * Spawns a worker and resolves once it is connected and fetching. `script`: the worker's file
   * (default bench/queue-worker.ts); `spec` goes to it as JSON in BENCH_WORKER_SPEC.
   */
  static async start(spec: object, script = workerScript): Promise<WorkerChild> {
    const child = new WorkerChild(spec, script);
    await child.#reply('ready');
    return child;
  }

  /**
   * Resolves when the worker has handled `total` jobs since it started, with the time of the
   * last; rejects after `timeoutMs` (a job that failed is never handled, so it would wait forever).
   */
  async expect(total: number, timeoutMs = EXPECT_TIMEOUT_MS): Promise<Reply<'reached'>> {
    const reply = this.#reply('reached');
    this.#send({ type: 'expect', total });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `the worker did not handle ${total} jobs within ${timeoutMs / 1000} s: did a job fail? (look at the queue's failed set)`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([reply, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Latencies recorded since the last call (ms), then forgotten. */
  async latencies(): Promise<number[]> {
    const reply = this.#reply('latencies');
    this.#send({ type: 'latencies' });
    return (await reply).values;
  }

  /** The worker's memory after a full GC. */
  memory(): Promise<Reply<'memory'>> {
    const reply = this.#reply('memory');
    this.#send({ type: 'memory' });
    return reply;
  }

  /**
   * Asks the worker to close its connections and waits for the process to end by itself;
   * kills it and throws when it does not (a connection or timer left open).
   */
  async close(): Promise<void> {
    if (this.#exitedYet) return;
    this.#send({ type: 'close' });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), EXIT_TIMEOUT_MS);
    });
    const outcome = await Promise.race([this.#exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.#child.kill('SIGKILL');
      await this.#exited;
      throw new Error(`the worker child did not exit within ${EXIT_TIMEOUT_MS} ms of close()`);
    }
  }

  #send(message: ToWorker): void {
    this.#child.send(message);
  }

  #reply<T extends FromWorker['type']>(type: T): Promise<Reply<T>> {
    if (this.#exitedYet) return Promise.reject(new Error('the worker child has exited'));
    return new Promise((resolve, reject) => {
      this.#waiting.set(type, { resolve: resolve as (m: FromWorker) => void, reject });
    });
  }
}
