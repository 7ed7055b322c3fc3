/**
 * The playground's worker processes: `herald queue:work` (the real binary, dist/cli/bin.js) for
 * the orders app and, beside it, for the billing app (playground/billing), each its own process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const here = import.meta.dirname;
/** The built herald CLI, as an app's `herald` command runs it. */
export const HERALD_BIN = join(here, '..', 'dist', 'cli', 'bin.js');
/** The orders app's config (the HTTP API and its queued listeners). */
export const ORDERS_CONFIG = join(here, 'herald.config.ts');
/** The billing app's config: a second service reading the orders stream. */
export const BILLING_CONFIG = join(here, 'billing', 'herald.config.ts');

/** Starts `herald queue:work --config <config>` and resolves once it says it is working. */
export async function startWorker(config: string): Promise<ChildProcess> {
  const worker = spawn(
    process.execPath,
    [HERALD_BIN, 'queue:work', '--config', config, '--concurrency', '5'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: process.env,
    },
  );
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    worker.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('herald: working')) resolve();
    });
    worker.once('exit', (code) => reject(new Error(`herald queue:work exited early (${code}): ${stderr}`)));
  });
  return worker;
}

/** SIGTERM (active jobs finish), then waits for the exit. */
export async function stopWorker(worker: ChildProcess | undefined): Promise<void> {
  if (worker === undefined || worker.exitCode !== null) return;
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.kill('SIGTERM');
  await exited;
}

/** Runs a herald command to its end and returns its stdout (stderr too when it fails). */
export async function runHerald(args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, [HERALD_BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`herald ${args.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}
