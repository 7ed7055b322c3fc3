import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, type TempProject } from '../support/temp-project.js';
import { fillWithGeneratedFiles, read, snapshot } from './support/make-project.js';

/**
 * What `herald make:event` refuses, and that it then writes nothing: bad names, symlinks out of
 * the target folder, existing files without --force (and --force overwriting), usage errors; and
 * its --help. Run in a project the generators filled first.
 */

describe('herald make:event (real binary, a project outside the repo)', () => {
  let project: TempProject;

  beforeAll(async () => {
    project = createTempProject('herald-make');
    await fillWithGeneratedFiles(project);
  }, 60_000);
  afterAll(() => project.remove());

  it('refuses bad names with exit 1, says why and how to fix it, and writes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['make:event', ''], /Invalid event name "": the name is empty: give a PascalCase class name/],
      [['make:event', 'class'], /"class": class is a reserved word in JavaScript: pick another name/],
      [['make:event', 'Infinity'], /Infinity is a reserved word/],
      [['make:event', 'Promise'], /Promise would shadow the JavaScript built-in .*pick a more specific name/],
      [['make:event', 'Event'], /"Event": herald's event.stub imports Event too: pick another name/],
      [['make:event', 'orderShipped'], /"orderShipped" is not PascalCase \(did you mean OrderShipped\?\)/],
      [['make:event', 'order-shipped.ts'], /is not PascalCase \(did you mean OrderShipped\?\)/],
      [['make:event', 'Order_Shipped'], /is not PascalCase/],
      [['make:event', 'billing/Paid'], /the folder "billing" is not PascalCase/],
      [
        ['make:event', '../Escaped'],
        /'\.' and '\.\.' are not allowed: the file must stay inside src\/events/,
      ],
      [['make:event', 'Billing/../../Escaped'], /'\.' and '\.\.' are not allowed/],
      [['make:event', '/tmp/Escaped'], /absolute paths are not allowed/],
      [['make:event', 'C:/Escaped'], /absolute paths are not allowed/],
      [['make:event', 'Billing\\Escaped'], /backslashes are not allowed: separate sub-folders with \//],
      [['make:event', 'Billing//Escaped'], /empty folder name/],
      [['make:event', 'Billing/'], /empty folder name/],
      [['make:event', 'Fine', '--listener', 'bad name'], /Invalid listener name "bad name"/],
      [
        ['make:event', 'Fine', '--listener', 'Fine'],
        /a listener cannot have its event's name: pick another, e.g. HandleFine/,
      ],
      [
        ['make:event', 'Fine', '-l', 'Twice', '-l', 'Twice'],
        /would both write src\/listeners\/twice\.ts: give distinct names/,
      ],
      [
        ['make:event', 'Fine', '-l', 'ABTest', '-l', 'AbTest'],
        /would both write src\/listeners\/ab-test\.ts/,
      ],
    ];
    const before = snapshot(project.dir);
    // In parallel: none of them may write, so they cannot disturb each other.
    const results = await Promise.all(cases.map(([args]) => project.herald(args)));
    results.forEach((result, index) => {
      const [args, message] = cases[index] ?? [[], /^$/];
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stdout).toBe('');
    });
    expect(snapshot(project.dir)).toEqual(before);
  }, 60_000);

  it('refuses symlinks that lead outside the target folder: a linked sub-folder, a linked or dangling file', async () => {
    const outside = join(tmpdir(), `herald-outside-${process.pid}-${Date.now()}`);
    mkdirSync(outside);
    symlinkSync(outside, join(project.dir, 'src', 'events', 'linked'), 'dir');
    const before = snapshot(project.dir);
    const result = await project.herald(['make:event', 'Linked/Escaped']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'src/events/linked links outside src/events, so linked/escaped.ts would be written outside it: replace the link with a folder',
    );
    expect(readdirSync(outside)).toEqual([]);
    expect(snapshot(project.dir)).toEqual(before);
    // A linked file, even with --force, and a dangling link (writing would create its target).
    writeFileSync(join(outside, 'target.ts'), '// outside\n');
    symlinkSync(join(outside, 'target.ts'), join(project.dir, 'src', 'listeners', 'linked-file.ts'));
    symlinkSync(join(outside, 'missing.ts'), join(project.dir, 'src', 'listeners', 'dangling.ts'));
    const snapshotWithLinks = snapshot(project.dir);
    for (const name of ['LinkedFile', 'Dangling']) {
      const forced = await project.herald(['make:listener', name, '--force']);
      expect(forced.code).toBe(1);
      expect(forced.stderr).toMatch(
        /is a link to a file outside src\/listeners: remove the link, or choose another name/,
      );
    }
    expect(readFileSync(join(outside, 'target.ts'), 'utf8')).toBe('// outside\n');
    expect(readdirSync(outside)).toEqual(['target.ts']);
    expect(snapshot(project.dir)).toEqual(snapshotWithLinks);
    for (const link of ['src/events/linked', 'src/listeners/linked-file.ts', 'src/listeners/dangling.ts'])
      rmSync(join(project.dir, link));
    rmSync(outside, { recursive: true });
  });

  it('never overwrites without --force: one existing file refuses the whole command (exit 1, nothing written)', async () => {
    writeFileSync(join(project.dir, 'src/listeners/update-stock.ts'), '// mine\n');
    const before = snapshot(project.dir);
    const result = await project.herald(['make:event', 'StockLow', '-l', 'NotifyBuyer', '-l', 'UpdateStock']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'herald: src/listeners/update-stock.ts already exists: nothing was written. Pass --force to overwrite, or choose another name.\n',
    );
    expect(snapshot(project.dir)).toEqual(before);
  });

  it('--force overwrites existing files with fresh ones from the stubs', async () => {
    const result = await project.herald([
      'make:event',
      'StockLow',
      '-l',
      'NotifyBuyer',
      '-l',
      'UpdateStock',
      '--force',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Created event src/events/stock-low.ts');
    expect(result.stdout).toContain('Overwrote listener src/listeners/update-stock.ts');
    expect(read(project, 'src/listeners/update-stock.ts')).toContain('@Listener(StockLow)');
  });

  it('usage errors exit 2 and write nothing: no name without a terminal, --queued alone, unknown options', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['make:event'],
        /missing required argument 'name' \(there is no terminal to ask for it on\): e\.g\. herald make:event OrderShipped/,
      ],
      [
        ['make:event', 'Fine', '--queued'],
        /--queued makes the --listener listeners queued: pass --listener <name> too/,
      ],
      [['make:event', 'Fine', '--nope'], /unknown option '--nope'/],
      [['make:event', 'Fine', 'Extra'], /too many arguments/],
      [['make:event', 'Fine', '--listener'], /argument missing/],
    ];
    const before = snapshot(project.dir);
    for (const [args, message] of cases) {
      const result = await project.herald(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect(snapshot(project.dir)).toEqual(before);
  });

  it('--help documents the naming rules and exit codes', async () => {
    const result = await project.herald(['make:event', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: herald make:event [options] [name]');
    expect(result.stdout).toContain('--listener <name>');
    expect(result.stdout).toContain('--queued');
    expect(result.stdout).toContain('--force');
    expect(result.stdout).toContain('Billing/OrderShipped');
    expect(result.stdout).toMatch(/1 +refused, and nothing was written/);
    expect(result.stdout).toMatch(/2 +usage error/);
  });
});
