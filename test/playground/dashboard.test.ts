import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { csrfOf, testIdValues } from '../dashboard/support/dashboard-server.js';
import { JITI_BIN, REPO_ROOT, readLines } from '../support/temp-project.js';
import { waitFor } from '../support/wait-for.js';

/** `npm run playground -- --serve` (after its build step), on the memory queue; resolves with the dashboard URL. */
async function servePlayground(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const { REDIS_URL: _ignored, ...rest } = process.env;
  const child = spawn(process.execPath, [JITI_BIN, 'playground/main.ts', '--serve'], {
    cwd: REPO_ROOT,
    env: { ...rest, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /Dashboard on (http:\/\/127\.0\.0\.1:\d+\/herald) /.exec(output);
      if (found?.[1] !== undefined) resolve(found[1]);
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) =>
      reject(new Error(`the playground exited (${code}) before serving:\n${output}`)),
    );
  });
  return { child, url };
}

/** The first server-sent `counters` event of `<url>/live`, parsed. */
async function firstCounters(url: string): Promise<{ values: Record<string, number | null> }> {
  const response = await fetch(`${url}/live`);
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('no body');
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the live stream ended: ${text}`);
      text += new TextDecoder().decode(value);
      const event = /event: counters\ndata: (.*)\n\n/.exec(text);
      if (event?.[1] !== undefined) return JSON.parse(event[1]) as { values: Record<string, number | null> };
    }
  } finally {
    await reader.cancel();
  }
}

describe('the playground serves the dashboard (npm run playground -- --serve)', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const step of cleanup.splice(0)) step();
  });

  it('on the memory queue: overview, failed inbox, job page, live counters, a retry that runs the listener again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-playground-dashboard-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const activity = join(dir, 'activity.jsonl');
    const { child, url } = await servePlayground({
      PLAYGROUND_ACTIVITY_FILE: activity,
      PLAYGROUND_OUTBOX_FILE: join(dir, 'outbox.txt'),
    });
    cleanup.push(() => child.exitCode === null && child.kill('SIGKILL'));

    const overview = await (await fetch(url)).text();
    expect(testIdValues(overview, 'listener-row', 'listener').sort()).toEqual([
      'NotifyWarehouse',
      'SendOrderConfirmation',
      'SyncToCrm',
      'UserActivitySubscriber.onLogout',
    ]);
    expect((await firstCounters(url)).values).toMatchObject({ failedTotal: 1, processed: 5 });

    const inbox = await (await fetch(`${url}/failed`)).text();
    expect(inbox).toContain('data-connection="memory"');
    const [id = ''] = testIdValues(inbox, 'failed-row', 'job-id');
    const job = await fetch(`${url}/jobs/${encodeURIComponent(id)}?connection=memory`);
    expect(job.status).toBe(200);
    const jobPage = await job.text();
    expect(jobPage).toContain('warehouse API returned 503');
    expect(jobPage).toContain('&quot;orderId&quot;: &quot;o-1&quot;');

    const failedCalls = () =>
      readLines(activity).filter((line) => line.includes('failed() for o-1 after every attempt')).length;
    expect(failedCalls()).toBe(1);
    const origin = new URL(url).origin;
    const retried = await fetch(`${url}/actions/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({
        id,
        connection: 'memory',
        back: '/failed',
        _csrf: csrfOf(inbox),
      }).toString(),
      redirect: 'manual',
    });
    expect(retried.status).toBe(303);
    expect(retried.headers.get('location')).toMatch(/^\/herald\/failed\?flash=Retrying/);
    // NotifyWarehouse always fails: its retry runs both attempts again and calls failed() again.
    await waitFor('the retried NotifyWarehouse to fail again', () => failedCalls() === 2);
    const again = await (await fetch(`${url}/failed`)).text();
    expect(testIdValues(again, 'failed-row', 'job-id')).toHaveLength(1);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
