/**
 * The parent side of bench/scale.ts' workers: starts N worker children (bench/scale-worker.ts
 * through jiti), adds up their handled counts, and reads CPU time of any process from
 * /proc/<pid>/stat (workers, and each redis-server of a topology).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromScaleWorker, ScaleWorkerSpec, ToScaleWorker } from './scale-shared.js';

const EXPECT_TIMEOUT_MS = 300_000;
const EXIT_TIMEOUT_MS = 15_000;

const jitiCli = join(
  dirname(createRequire(import.meta.url).resolve('jiti/package.json')),
  'lib/jiti-cli.mjs',
);
const workerScript = fileURLToPath(new URL('./scale-worker.ts', import.meta.url));

/** Clock ticks per second of /proc's utime/stime (100 on Linux almost everywhere). */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system, ms) a process has used so far, every thread included. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which sits in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line: 12 and 13 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

/** One worker child: its process, its latest count, and when it has exited. */
interface Member {
  readonly child: ChildProcess;
  processed: number;
  lastAt: number;
  readonly exited: Promise<void>;
}

/** N worker children on one workload; {@link reach} waits for their total. */
export class WorkerPool {
  readonly #members: Member[] = [];
  #onProgress: () => void = () => {};

  private constructor() {}

  /** Starts `workers` children with `spec` and resolves once every one is working. */
  static async start(spec: ScaleWorkerSpec, workers: number): Promise<WorkerPool> {
    const pool = new WorkerPool();
    const ready = Array.from({ length: workers }, () => pool.#spawn(spec));
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.close().catch(() => {});
      throw error;
    }
    return pool;
  }

  /** The children's pids, for {@link processCpuMs}. */
  get pids(): number[] {
    return this.#members.map((member) => member.child.pid ?? 0);
  }

  /**
   * Resolves when the children together have handled `total` events since they started, with the
   * time of the last handle; rejects after a timeout (a failed job is never handled).
   */
  reach(total: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the workers did not handle ${total} events within ${EXPECT_TIMEOUT_MS / 1000} s`));
      }, EXPECT_TIMEOUT_MS);
      this.#onProgress = () => {
        if (this.#members.reduce((sum, member) => sum + member.processed, 0) < total) return;
        clearTimeout(timer);
        this.#onProgress = () => {};
        resolve(Math.max(...this.#members.map((member) => member.lastAt)));
      };
      this.#onProgress();
    });
  }

  /** Asks every child to close and waits for each to exit by itself (killed after a timeout). */
  async close(): Promise<void> {
    await Promise.all(
      this.#members.map(async ({ child, exited }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.send({ type: 'close' } satisfies ToScaleWorker);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), EXIT_TIMEOUT_MS);
        });
        const outcome = await Promise.race([exited, timeout]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          child.kill('SIGKILL');
          throw new Error(`worker ${child.pid} did not exit within ${EXIT_TIMEOUT_MS} ms of close`);
        }
      }),
    );
  }

  #spawn(spec: ScaleWorkerSpec): Promise<void> {
    const child = spawn(process.execPath, [jitiCli, workerScript], {
      env: { ...process.env, BENCH_WORKER_SPEC: JSON.stringify(spec) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const exited = new Promise<void>((done) => {
        child.once('exit', (code) => {
          reject(new Error(`a worker child exited (code ${code}) before it was ready`));
          done();
        });
      });
      const member: Member = { child, processed: 0, lastAt: 0, exited };
      this.#members.push(member);
      child.on('message', (message: FromScaleWorker) => {
        if (message.type === 'ready') resolve();
        else {
          member.processed = message.processed;
          member.lastAt = message.lastAt;
          this.#onProgress();
        }
      });
    });
  }
}
