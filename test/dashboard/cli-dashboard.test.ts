import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisProjectConfig } from '../cli/support/redis-project.js';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';
import { collect, createTempProject, type RunResult, type TempProject } from '../support/temp-project.js';
import { waitFor } from '../support/wait-for.js';

const LISTENERS = `
import { Event, Listener } from 'herald';

@Event('cli.report.asked')
export class ReportAsked { constructor(readonly id: string) {} }

@Listener(ReportAsked, { queue: 'reports' })
export class BuildReport { handle(): void {} }
`;

/** A running `herald dashboard` with its output so far. */
interface Running {
  readonly child: ChildProcess;
  readonly result: Promise<RunResult>;
  output(): string;
}

describe('herald dashboard (real binary, temp project, real Redis)', () => {
  let project: TempProject;
  let env: Record<string, string>;
  const running: Running[] = [];

  beforeAll(() => {
    project = createTempProject('dash-cli');
    project.write('src/listeners/build-report.ts', LISTENERS);
    project.write('herald.config.ts', redisProjectConfig());
    env = {
      TEST_REDIS_URL: testRedisUrl(),
      TEST_PREFIX: uniqueQueueName('dash-cli'),
      NODE_ENV: 'development',
    };
  });
  afterEach(() => {
    for (const each of running.splice(0)) each.child.kill('SIGKILL');
  });
  afterAll(() => project.remove());

  function start(args: readonly string[], more: Record<string, string> = {}): Running {
    const child = project.spawnHerald(['dashboard', ...args], { env: { ...env, ...more } });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const each = { child, result: collect(child), output: () => output };
    running.push(each);
    return each;
  }

  async function urlOf(dashboard: Running): Promise<string> {
    await waitFor('the dashboard URL', () => /http:\/\/\S+\//.test(dashboard.output()), {
      timeoutMs: 30_000,
    });
    return /(http:\/\/\S+\/)/.exec(dashboard.output())?.[1] ?? '';
  }

  it('--port 0 prints the URL, serves the overview with the CSP, and SIGTERM exits 0', async () => {
    const dashboard = start(['--port', '0']);
    const url = await urlOf(dashboard);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const overview = await fetch(url);
    expect(overview.status).toBe(200);
    expect(overview.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; script-src 'nonce-/,
    );
    expect(await overview.text()).toContain('data-testid="counters"');
    const events = await (await fetch(`${url}events`)).text();
    expect(events).toContain('data-event="cli.report.asked"');
    dashboard.child.kill('SIGTERM');
    const result = await dashboard.result;
    expect(result.code).toBe(0);
  });

  it('a non-loopback --host without HERALD_DASHBOARD_TOKEN refuses to start (exit 2) naming the fix', async () => {
    const result = await project.herald(['dashboard', '--host', '0.0.0.0', '--port', '0'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('set HERALD_DASHBOARD_TOKEN=');
    const production = await project.herald(['dashboard', '--port', '0'], {
      env: { ...env, NODE_ENV: 'production' },
    });
    expect(production.code).toBe(2);
    expect(production.stderr).toContain('NODE_ENV=production needs a login');
  });

  it('with HERALD_DASHBOARD_TOKEN: 401 with a Basic challenge without it, 200 with the bearer token or Basic password', async () => {
    const dashboard = start(['--host', '0.0.0.0', '--port', '0', '--read-only'], {
      HERALD_DASHBOARD_TOKEN: 's3cret-token',
    });
    const url = (await urlOf(dashboard)).replace('0.0.0.0', '127.0.0.1');
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="herald"/);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer s3cret-token' } })).status).toBe(200);
    const basic = `Basic ${Buffer.from('ops:s3cret-token').toString('base64')}`;
    const failed = await fetch(`${url}failed`, { headers: { authorization: basic } });
    expect(failed.status).toBe(200);
    expect(
      (await fetch(`${url}actions/retry`, { method: 'POST', headers: { authorization: basic } })).status,
    ).toBe(405);
    dashboard.child.kill('SIGINT');
    expect((await dashboard.result).code).toBe(0);
  });

  it('a bad --port is a usage error (exit 2)', async () => {
    const result = await project.herald(['dashboard', '--port', 'eighty'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a port from 0 to 65535');
  });
});
