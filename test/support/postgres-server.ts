import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findFreePort } from './redis-server/free-port.js';
import {
  installExitHook,
  ownedDirs,
  type Spawned,
  spawnRedis as spawnLogged,
} from './redis-server/process.js';

/** A private PostgreSQL started by {@link startPostgresServer}. */
export interface PostgresServerHandle {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth: no password). */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** A URL for another database on this server (create it first with {@link createDatabase}). */
  urlOf(database: string): string;
  /** Creates a fresh database with a unique name and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Fast shutdown (SIGINT: roll back open transactions, checkpoint) and removes the data dir. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. Committed transactions survive it (the WAL is on disk). */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data dir (after kill() or a fast shutdown). */
  restart(): Promise<void>;
}

export interface StartPostgresServerOptions {
  /** fsync WAL writes (default off: a killed postgres keeps its writes in the OS cache anyway). */
  readonly fsync?: boolean;
  readonly startupTimeoutMs?: number;
}

const HOST = '127.0.0.1';

/**
 * Where PostgreSQL's server binaries are: PATH when `initdb` is there (some images link it),
 * else Debian's `/usr/lib/postgresql/<version>/bin` (the package keeps them off PATH).
 *
 * @throws Error naming the package to install when there is none.
 */
export function postgresBinDir(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error(
    'PostgreSQL is not installed: no initdb on PATH or under /usr/lib/postgresql/*/bin. ' +
      'Install it with `apt-get install -y postgresql` (.ci/run does this when it is missing).',
  );
}

/** PostgreSQL refuses to run as root: run its binaries as the `postgres` user then. */
function asServerUser(binary: string, args: readonly string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [binary, [...args]];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--clear-groups', '--', binary, ...args]];
}

/** The uid/gid of `postgres`, to hand it the data dir when we run as root. */
function serverUserIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

async function waitUntilAccepting(url: string, spawned: Spawned, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawned.hasExited()) throw new Error(`postgres exited while starting:\n${spawned.log()}`);
    // Bounded, so an attempt that gets no answer is retried instead of waited on forever.
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: 2000,
      query_timeout: 2000,
    });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`postgres did not accept connections: ${String(error)}\n${spawned.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

let databaseCounter = 0;

/**
 * Starts a private PostgreSQL (`initdb` into a temp dir, `postgres` on a free 127.0.0.1 port, the
 * socket in the data dir) so tests never touch a developer's database. Runs as `postgres` when
 * the test process is root.
 *
 * @example
 * const server = await startPostgresServer();
 * const pool = new pg.Pool({ connectionString: await server.createDatabase() });
 * await server.kill();   // a crash
 * await server.restart();
 * await server.stop();
 */
export async function startPostgresServer(
  options: StartPostgresServerOptions = {},
): Promise<PostgresServerHandle> {
  installExitHook();
  const bin = postgresBinDir();
  const base = mkdtempSync(join(tmpdir(), 'herald-pg-'));
  ownedDirs.add(base);
  const dir = join(base, 'data');
  const ids = serverUserIds();
  if (ids) chownSync(base, ids.uid, ids.gid);
  const [initdb, initArgs] = asServerUser(join(bin, 'initdb'), [
    '-D',
    dir,
    '-U',
    'postgres',
    '-A',
    'trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'pipe' });

  const port = await findFreePort(HOST);
  const url = `postgres://postgres@${HOST}:${port}/postgres`;
  const timeoutMs = options.startupTimeoutMs ?? 30_000;
  const serverArgs = [
    '-D',
    dir,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    `listen_addresses=${HOST}`,
    '-c',
    `fsync=${options.fsync === true ? 'on' : 'off'}`,
    '-c',
    'max_connections=200',
  ];

  const launch = async (): Promise<Spawned> => {
    const [binary, args] = asServerUser(join(bin, 'postgres'), serverArgs);
    const spawned = spawnLogged(binary, args);
    await waitUntilAccepting(url, spawned, timeoutMs);
    return spawned;
  };

  let current: Spawned | undefined = await launch();
  let stopping: Promise<void> | undefined;

  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    const spawned = current;
    current = undefined;
    if (!spawned || spawned.hasExited()) return;
    spawned.child.kill(signal);
    await spawned.exited;
  };

  return {
    url,
    port,
    dir,
    urlOf: (database) => `postgres://postgres@${HOST}:${port}/${database}`,
    async createDatabase(prefix = 'herald_test') {
      const name = `${prefix}_${process.pid}_${++databaseCounter}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@${HOST}:${port}/${name}`;
    },
    stop() {
      stopping ??= (async () => {
        // SIGINT is postgres's "fast" shutdown: open sessions are rolled back, no waiting on them.
        await terminate('SIGINT');
        ownedDirs.delete(base);
        rmSync(base, { recursive: true, force: true });
      })();
      return stopping;
    },
    kill: () => terminate('SIGKILL'),
    async restart() {
      if (stopping)
        throw new Error(`The PostgreSQL server on port ${port} was stopped; start a new one instead.`);
      await terminate('SIGINT');
      // A SIGKILLed postmaster leaves its backends alive for a moment (they notice its death and
      // exit), and a new postmaster refuses to start beside their shared memory: retry until up.
      for (let attempt = 1; ; attempt++) {
        try {
          current = await launch();
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    },
  };
}
