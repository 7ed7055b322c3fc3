import { describe, expect, it } from 'vitest';
import { Lead, Ping, useWorkOptionsProject } from './support/work-options-project.js';

/**
 * `herald queue:work --queue`: only the queues named are worked, and a name no listener uses is
 * warned about.
 */

describe('herald queue:work options (real binary, real Redis)', () => {
  /** A fresh prefix and output file for one test. */
  const world = useWorkOptionsProject();

  it('--queue emails only takes jobs from emails: a job on crm stays waiting', async () => {
    const w = world();
    const app = await w.dispatcher();
    await app.dispatch(new Ping(1));
    await app.dispatch(new Lead(1));
    await app.dispatch(new Ping(2));

    const result = await w.run(['queue:work', '--queue', 'emails', '--stop-when-empty']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('(emails)');
    expect(
      w
        .lines()
        .map((line) => line.split(' ').slice(0, 2).join(' '))
        .sort(),
    ).toEqual(['ping 1', 'ping 2']);
    expect(result.stdout).not.toContain('SyncCrm');
    expect(await w.counts('crm')).toMatchObject({ wait: 1, active: 0, completed: 0 });
    expect(await w.counts('emails')).toMatchObject({ wait: 0, completed: 2 });

    // Naming crm too takes it.
    const both = await w.run(['queue:work', '--queue', 'emails,crm', '--stop-when-empty']);
    expect(both.code, both.stderr).toBe(0);
    expect(w.lines().filter((line) => line.startsWith('lead 1 '))).toHaveLength(1);
    expect(await w.counts('crm')).toMatchObject({ wait: 0, completed: 1 });
  });

  it('--queue warns about a queue no listener uses (a typo) and still works the queues named', async () => {
    const w = world();
    const result = await w.run(['queue:work', '--queue', 'emials,crm', '--stop-when-empty']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'warning: no listener of this app uses queue "emials" on connection "redis" (they use: default, emails, crm)',
    );
    expect(result.stderr).not.toContain('queue "crm"');
    const quiet = await w.run(['queue:work', '--queue', 'emails', '--stop-when-empty']);
    expect(quiet.stderr).not.toContain('warning');
  });
});
