import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, type TempProject } from '../support/temp-project.js';

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

describe('herald make:subscriber (real binary, a project outside the repo)', () => {
  let project: TempProject;
  const read = (path: string) => readFileSync(join(project.dir, path), 'utf8');

  beforeAll(() => {
    project = createTempProject('herald-make-subscriber');
  });
  afterAll(() => project.remove());

  it('writes a subscriber with one placeholder @On method, and a config when the project has none', async () => {
    const result = await project.herald(['make:subscriber', 'Accounts/UserEventSubscriber']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Created subscriber src/subscribers/accounts/user-event-subscriber.ts');
    expect(result.stdout).toContain('Created config herald.config.ts');
    const source = read('src/subscribers/accounts/user-event-subscriber.ts');
    expect(source).toContain("import { On, Subscriber } from 'herald';");
    expect(source).toContain('@Subscriber()\nexport class UserEventSubscriber {');
    expect(source).toContain("@On('todo:UserEventSubscriber')\n  onEvent(event: object): void {");
    // The placeholder boots (a subscriber without @On methods would not) and runs for no event.
    const listed = await project.herald(['event:list']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
  });

  it('refuses bad names and existing files with exit 1 and writes nothing', async () => {
    const before = snapshot(project.dir);
    const cases: [string[], string][] = [
      [['make:subscriber', 'static'], 'static is a reserved word in JavaScript'],
      [['make:subscriber', 'Subscriber'], "herald's subscriber.stub imports Subscriber too"],
      [['make:subscriber', 'user_subscriber'], 'is not PascalCase (did you mean UserSubscriber?)'],
      [['make:subscriber', 'Accounts/../../X'], "'.' and '..' are not allowed"],
      [
        ['make:subscriber', 'Accounts/UserEventSubscriber'],
        'src/subscribers/accounts/user-event-subscriber.ts already exists: nothing was written. Pass --force',
      ],
    ];
    for (const [args, message] of cases) {
      const result = await project.herald(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
    expect(snapshot(project.dir)).toEqual(before);
  });

  it('--force overwrites; no name without a terminal is a usage error (exit 2)', async () => {
    project.write('src/subscribers/accounts/user-event-subscriber.ts', '// edited\n');
    const forced = await project.herald(['make:subscriber', 'Accounts/UserEventSubscriber', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe('Overwrote subscriber src/subscribers/accounts/user-event-subscriber.ts\n');
    expect(read('src/subscribers/accounts/user-event-subscriber.ts')).toContain('@Subscriber()');

    const missing = await project.herald(['make:subscriber']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'name'");
  });

  it('--help documents the naming rules and exit codes', async () => {
    const result = await project.herald(['make:subscriber', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: herald make:subscriber [options] [name]');
    expect(result.stdout).toContain('Billing/UserEventSubscriber');
    expect(result.stdout).toMatch(/2 +usage error/);
  });
});
