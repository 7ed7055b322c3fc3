import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, REPO_ROOT, type TempProject } from '../support/temp-project.js';

const STUBS = [
  'config.stub',
  'event.stub',
  'listener.queued.stub',
  'listener.stub',
  'listener.typed.queued.stub',
  'listener.typed.stub',
  'subscriber.stub',
];

describe('herald stub:publish (real binary, a project outside the repo)', () => {
  let project: TempProject;
  const read = (path: string) => readFileSync(join(project.dir, path), 'utf8');

  beforeAll(() => {
    project = createTempProject('herald-stubs');
    project.write(
      'herald.config.ts',
      "import { defineConfig } from 'herald';\nexport default defineConfig({});\n",
    );
  });
  afterAll(() => project.remove());

  it("copies herald's stubs into stubs/ next to the config, unchanged", async () => {
    const result = await project.herald(['stub:publish']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(join(project.dir, 'stubs')).sort()).toEqual(STUBS);
    for (const stub of STUBS) {
      expect(read(`stubs/${stub}`)).toBe(readFileSync(join(REPO_ROOT, 'stubs', stub), 'utf8'));
      expect(result.stdout).toContain(`Published stubs/${stub}`);
    }
  });

  it("a published stub wins over herald's for every generator", async () => {
    writeFileSync(join(project.dir, 'stubs/event.stub'), `// house style\n${read('stubs/event.stub')}`);
    writeFileSync(
      join(project.dir, 'stubs/listener.typed.queued.stub'),
      read('stubs/listener.typed.queued.stub').replace('tries: 3', "tries: 5, connection: 'memory'"),
    );
    const result = await project.herald(['make:event', 'OrderShipped', '-l', 'Ship', '--queued']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(read('src/events/order-shipped.ts')).toMatch(/^\/\/ house style\nimport/);
    expect(read('src/listeners/ship.ts')).toContain(
      "@Listener(OrderShipped, { queue: true, tries: 5, connection: 'memory', backoff: [1000, 5000] })",
    );
  });

  it('publishing again keeps customised stubs; --force replaces them', async () => {
    const again = await project.herald(['stub:publish']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Kept stubs/event.stub (already published; --force overwrites it)');
    expect(read('stubs/event.stub')).toMatch(/^\/\/ house style/);

    const forced = await project.herald(['stub:publish', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('Overwrote stubs/event.stub');
    expect(read('stubs/event.stub')).toBe(readFileSync(join(REPO_ROOT, 'stubs/event.stub'), 'utf8'));
  });

  it('a published stub with an unknown or malformed placeholder fails with exit 1, naming it, and writes nothing', async () => {
    writeFileSync(join(project.dir, 'stubs/subscriber.stub'), 'export class {{ class }} {} // {{ event }}\n');
    const unknown = await project.herald(['make:subscriber', 'Audit']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      "herald: The stub stubs/subscriber.stub uses {{ event }}, which subscriber.stub does not provide (it has: {{ class }}): fix the stub or delete it to use herald's.\n",
    );
    writeFileSync(
      join(project.dir, 'stubs/subscriber.stub'),
      'export class {{ class }} {} // {{ bad-name }}\n',
    );
    const malformed = await project.herald(['make:subscriber', 'Audit']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain(
      'has a malformed placeholder {{ bad-name }}: write placeholders as {{ name }}',
    );
    expect(readdirSync(join(project.dir, 'src'))).toEqual(['events', 'listeners']);
  });

  it('--help documents the placeholders and exit codes; unknown options are usage errors', async () => {
    const help = await project.herald(['stub:publish', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('{{ class }}');
    expect(help.stdout).toContain('{{ eventImport }}');
    expect(help.stdout).toContain('Exit codes: 0 published');
    const bad = await project.herald(['stub:publish', '--forse']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option '--forse'");
  });
});
