import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * The `redis-server` child processes and temp dirs of this test process, and the exit hook that
 * reaps them even when a test forgot to stop its server.
 */

/** How much of a server's output is kept for error messages (its tail). */
const LOG_LIMIT = 8_192;

/** Every child still alive, so the 'exit' hook can reap them even if a test forgot to stop one. */
const liveChildren = new Set<ChildProcess>();
/** Temp dirs we created and have not removed yet; removed synchronously on process exit. */
export const ownedDirs = new Set<string>();
let exitHookInstalled = false;

/** Installs the one process-exit hook (once) that kills live children and removes owned dirs. */
export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: kill() and rmSync() are. One shared listener, not one per
  // server, so suites that start many servers never trip MaxListenersExceededWarning.
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    for (const dir of ownedDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** One spawned process, with the tail of its output kept for error messages. */
export interface Spawned {
  readonly child: ChildProcess;
  /** Settles when the process has exited (or failed to spawn). Never rejects. */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  /** Spawn error (e.g. ENOENT), if the process never started. */
  spawnError(): NodeJS.ErrnoException | undefined;
  log(): string;
}

/** Spawns `binary args` with its output piped and kept, and tracks it until it exits. */
export function spawnRedis(binary: string, args: readonly string[]): Spawned {
  let output = '';
  let exited = false;
  let error: NodeJS.ErrnoException | undefined;
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-LOG_LIMIT);
  };

  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  liveChildren.add(child);
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const exitedPromise = new Promise<void>((resolve) => {
    const done = (): void => {
      exited = true;
      liveChildren.delete(child);
      resolve();
    };
    // 'close' rather than 'exit' so the last log lines are read before we report them.
    child.once('close', done);
    child.once('error', (err: NodeJS.ErrnoException) => {
      error = err;
      // A failed spawn emits 'error' and may never emit 'close'.
      if (child.pid === undefined) done();
    });
  });

  return {
    child,
    exited: exitedPromise,
    hasExited: () => exited,
    spawnError: () => error,
    log: () => output,
  };
}
