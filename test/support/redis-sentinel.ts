import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort, type RedisServerHandle, startRedisServer } from './redis-server.js';
import { waitFor } from './wait-for.js';

/** The master name the sentinels monitor. */
export const SENTINEL_MASTER_NAME = 'herald-master';

const HOST = '127.0.0.1';
const AGREE_TIMEOUT_MS = 20_000;

/** A host and port, as the `sentinel.sentinels` config key takes them. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/** A running private Sentinel setup: one master, one replica, three sentinels. */
export interface RedisSentinelHandle {
  /** The sentinels, as `sentinel: { sentinels }` takes them. */
  readonly sentinels: readonly Address[];
  /** The master name they monitor ({@link SENTINEL_MASTER_NAME}). */
  readonly name: string;
  /** The two data servers (the first started as master); `master()` says which one is now. */
  readonly servers: readonly RedisServerHandle[];
  /** The address the sentinels give for the master now. */
  master(): Promise<Address>;
  /**
   * `SENTINEL FAILOVER` on one sentinel, then waits until every sentinel names the other server
   * as master and that server says `role:master`. Resolves the new master. The old master
   * becomes its replica later (sentinels reconfigure it; a full sync): see `inSync()`.
   */
  failover(): Promise<Address>;
  /** Waits until the master has an in-sync replica (WAIT needs one), e.g. after a failover. */
  inSync(): Promise<void>;
  /** Stops the replica (SIGTERM): WAIT then finds no replica to acknowledge. */
  stopReplica(): Promise<void>;
  /** Stops every process and deletes every dir. Idempotent. */
  stop(): Promise<void>;
}

/** A one-off connection (no retries) to a server or a sentinel. */
export async function withRedis<T>(address: Address, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({
    ...address,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/** One sentinel process, from `redis-server <conf> --sentinel` (no `redis-sentinel` needed). */
interface SentinelProcess {
  readonly address: Address;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  log(): string;
}

async function startSentinel(master: Address, dir: string, index: number): Promise<SentinelProcess> {
  const port = await findFreePort(HOST);
  const conf = join(dir, `sentinel-${index}.conf`);
  // Sentinel rewrites its config file (it must be writable); short timeouts keep a failover fast.
  await writeFile(
    conf,
    [
      `port ${port}`,
      `bind ${HOST}`,
      'daemonize no',
      `dir ${dir}`,
      `sentinel monitor ${SENTINEL_MASTER_NAME} ${master.host} ${master.port} 2`,
      `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 1000`,
      `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 5000`,
      `sentinel parallel-syncs ${SENTINEL_MASTER_NAME} 1`,
      '',
    ].join('\n'),
  );
  let output = '';
  const child = spawn('redis-server', [conf, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  const address = { host: HOST, port };
  await waitFor(
    `sentinel ${index} on ${HOST}:${port} to answer PING`,
    () =>
      withRedis(address, async (redis) => (await redis.ping()) === 'PONG').catch(() => {
        if (child.exitCode !== null) throw new Error(`sentinel ${index} exited:\n${output}`);
        return false;
      }),
    { describe: () => output },
  );
  return { address, child, exited, log: () => output };
}

/** What a sentinel knows of the master: `SENTINEL MASTER <name>` as a record. */
async function masterState(sentinel: Address): Promise<Record<string, string>> {
  return withRedis(sentinel, async (redis) => {
    const flat = (await redis.call('SENTINEL', 'MASTER', SENTINEL_MASTER_NAME)) as string[];
    const state: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) state[flat[i] as string] = flat[i + 1] as string;
    return state;
  });
}

async function masterAddress(sentinel: Address): Promise<Address> {
  const [host, port] = await withRedis(
    sentinel,
    (redis) => redis.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER_NAME) as Promise<string[]>,
  );
  return { host: host as string, port: Number(port) };
}

/**
 * Starts 1 master + 1 replica (`redis-server --replicaof`) and 3 sentinels (`redis-server
 * sentinel.conf --sentinel`, quorum 2) on free 127.0.0.1 ports, and waits until the replica is
 * in sync and every sentinel knows the replica and the two other sentinels.
 *
 * @example
 * const setup = await startRedisSentinel();
 * const connection = { driver: 'bullmq', sentinel: { sentinels: [...setup.sentinels], name: setup.name } };
 * await setup.failover();
 * await setup.stop();
 */
export async function startRedisSentinel(): Promise<RedisSentinelHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-sentinel-'));
  const servers: RedisServerHandle[] = [];
  const sentinels: SentinelProcess[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const sentinel of sentinels) sentinel.child.kill('SIGKILL');
      await Promise.all(sentinels.map((sentinel) => sentinel.exited));
      await Promise.allSettled(servers.map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  try {
    const master = await startRedisServer();
    servers.push(master);
    servers.push(await startRedisServer({ args: ['--replicaof', master.host, String(master.port)] }));
    await waitFor('the replica to be in sync', () =>
      withRedis(master, async (redis) => /slave0:.*state=online/.test(await redis.info('replication'))),
    );
    for (let index = 0; index < 3; index++) sentinels.push(await startSentinel(master, dir, index));
    let last: Record<string, string>[] = [];
    await waitFor(
      'the sentinels to agree (each knows the replica and two other sentinels)',
      async () => {
        last = await Promise.all(sentinels.map((sentinel) => masterState(sentinel.address)));
        return last.every((state) => state['num-slaves'] === '1' && state['num-other-sentinels'] === '2');
      },
      { timeoutMs: AGREE_TIMEOUT_MS, intervalMs: 100, describe: () => JSON.stringify(last) },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const addresses = sentinels.map((sentinel) => sentinel.address);
  const first = addresses[0] as Address;
  const master = () => masterAddress(first);
  return {
    sentinels: addresses,
    name: SENTINEL_MASTER_NAME,
    servers,
    master,
    async failover() {
      const before = await master();
      await withRedis(first, (redis) => redis.call('SENTINEL', 'FAILOVER', SENTINEL_MASTER_NAME));
      let now: Address[] = [];
      await waitFor(
        'every sentinel to name the new master, and it to be master',
        async () => {
          now = await Promise.all(addresses.map(masterAddress));
          if (!now.every((address) => address.port !== before.port && address.port === now[0]?.port))
            return false;
          const role = await withRedis(now[0] as Address, (redis) => redis.info('replication'));
          return role.includes('role:master');
        },
        { timeoutMs: AGREE_TIMEOUT_MS, intervalMs: 50, describe: () => JSON.stringify(now) },
      );
      return now[0] as Address;
    },
    async inSync() {
      await waitFor(
        'the master to have an in-sync replica',
        async () =>
          /slave0:.*state=online/.test(await withRedis(await master(), (redis) => redis.info('replication'))),
        { timeoutMs: 60_000, intervalMs: 100 },
      );
    },
    async stopReplica() {
      const { port } = await master();
      await Promise.all(servers.filter((server) => server.port !== port).map((server) => server.stop()));
    },
    stop,
  };
}
