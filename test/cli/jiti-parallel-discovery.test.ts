import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempProject, type TempProject } from '../support/temp-project.js';

// A TypeScript app loaded through jiti (the CLI's path for .ts), where each listener module sorts
// before the event module it imports. Discovery starts every import at once; each module must
// still be evaluated once, or an event class exists twice and boot fails with duplicate_name.
const PAIRS = 12;

describe('TypeScript discovery through jiti, with modules importing one another', () => {
  let project: TempProject;

  beforeEach(() => {
    project = createTempProject('herald-jiti-parallel');
    project.write(
      'herald.config.ts',
      "import { defineConfig } from 'herald';\nexport default defineConfig({ discover: ['src'] });\n",
    );
    for (let i = 0; i < PAIRS; i++) {
      project.write(
        `src/a-listener-${i}.ts`,
        `import { Listener } from 'herald';
import { Happened${i} } from './z-event-${i}.ts';
@Listener(Happened${i})
export class On${i} { handle(_e: Happened${i}): void {} }
`,
      );
      project.write(
        `src/z-event-${i}.ts`,
        `import { Event } from 'herald';
@Event('pairs.happened-${i}')
export class Happened${i} {}
`,
      );
    }
  });
  afterEach(() => project.remove());

  it('event:list boots it: every event once, with its listener', async () => {
    const listed = await project.herald(['event:list', '--json']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const events = JSON.parse(listed.stdout) as { event: string; listeners: { name: string }[] }[];
    expect(events).toHaveLength(PAIRS);
    for (let i = 0; i < PAIRS; i++) {
      const entry = events.find((event) => event.event === `pairs.happened-${i}`);
      expect(entry?.listeners.map((listener) => listener.name)).toEqual([`On${i}`]);
    }
  });
});
