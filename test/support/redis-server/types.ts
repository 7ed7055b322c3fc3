/** The public shapes of test/support/redis-server.ts: how a server is started, and its handle. */

/** How a private test Redis is started. Every field is optional. */
export interface StartRedisServerOptions {
  /** Executable to run, looked up on PATH. Injectable so the missing-binary error is testable. */
  binary?: string;
  /** Interface to bind. Defaults to `127.0.0.1` so the server is never reachable from outside. */
  host?: string;
  /** Fixed port. Defaults to a free port picked by the OS (retried if another process grabs it). */
  port?: number;
  /** Data directory. Defaults to a fresh temp dir that `stop()` deletes; a given dir is left alone. */
  dir?: string;
  /** Turn the append-only file on, so data survives `kill()` + `restart()`. Defaults to `false`. */
  appendonly?: boolean;
  /**
   * fsync policy when `appendonly` is on. Defaults to `'always'`: fault tests assert that no
   * acknowledged write is lost across a SIGKILL, which only `always` guarantees.
   */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** How long to wait for the server to answer PING. Defaults to 10 000 ms. */
  startupTimeoutMs?: number;
  /** Extra `redis-server` arguments, appended last so they win (e.g. `['--loglevel', 'debug']`). */
  args?: readonly string[];
}

/** A running private `redis-server` child process and the controls fault tests need. */
export interface RedisServerHandle {
  /** `redis://host:port`, ready for ioredis or BullMQ's `connection: { url }`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The server's data directory (where the AOF lives). */
  readonly dir: string;
  /**
   * Shut down gracefully (SIGTERM, SIGKILL after 5 s) and delete the temp dir if this helper made
   * it. Final and idempotent: every call returns the same promise, and `restart()` is refused after.
   */
  stop(): Promise<void>;
  /** Crash the server (SIGKILL) and wait for it to exit. The dir is kept, so `restart()` can follow. */
  kill(): Promise<void>;
  /**
   * Start the server again on the same port and dir, so AOF data comes back. Shuts a running server
   * down gracefully first; after `kill()` it just starts.
   */
  restart(): Promise<void>;
}
