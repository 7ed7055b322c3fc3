import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledAppTsconfig, createTempProject, type TempProject } from '../support/temp-project.js';

// The config `herald make:*` writes: it names folders (so the compiled app, which has only .js
// files, still discovers them) and only folders that hold a module (an empty entry fails boot).

function read(project: TempProject, path: string): string {
  return readFileSync(join(project.dir, path), 'utf8');
}

describe('the config herald make:* writes', () => {
  let project: TempProject;
  beforeAll(() => {
    project = createTempProject('herald-generated-config');
  });
  afterAll(() => project.remove());

  it('discovers the folders the generators wrote to, adding one the first time a generator writes there', async () => {
    const event = await project.herald(['make:event', 'OrderPlaced']);
    expect(event.stderr).toBe('');
    expect(event.stdout).toContain('Created config herald.config.ts');
    expect(read(project, 'herald.config.ts')).toContain("discover: ['src/events'],");

    const listener = await project.herald(['make:listener', 'RecordOrder', '--event', 'OrderPlaced']);
    expect(listener.stderr).toBe('');
    expect(listener.code).toBe(0);
    expect(listener.stdout).toContain('Updated config herald.config.ts (it discovers the new folder too)');
    expect(read(project, 'herald.config.ts')).toContain("discover: ['src/events', 'src/listeners'],");

    const again = await project.herald(['make:listener', 'AuditOrder', '--event', 'OrderPlaced']);
    expect(again.stdout).not.toContain('config');
    expect(read(project, 'herald.config.ts')).toContain("discover: ['src/events', 'src/listeners'],");
  });

  it('after tsc, the compiled app run from dist/ finds its listeners (folders match the .js files)', async () => {
    project.write('tsconfig.json', compiledAppTsconfig('.', ['herald.config.ts', 'src']));
    const built = await project.compile();
    expect(built.stdout + built.stderr).toBe('');
    const listed = await project.herald(['event:list', '--json'], {
      cwd: 'dist',
      env: { HERALD_CONFIG: '' },
    });
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { event: 'OrderPlaced', listeners: [{ name: 'AuditOrder' }, { name: 'RecordOrder' }] },
    ]);
  }, 60_000);

  it('a config the user wrote is never rewritten', async () => {
    const own = `import { defineConfig } from 'herald';\nexport default defineConfig({ discover: ['src/events', 'src/listeners'] });\n`;
    project.write('herald.config.ts', own);
    const made = await project.herald(['make:subscriber', 'OrderSubscriber']);
    expect(made.code).toBe(0);
    expect(made.stdout).not.toContain('config');
    expect(read(project, 'herald.config.ts')).toBe(own);
  });
});
