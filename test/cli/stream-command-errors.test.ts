import { describe, expect, it } from 'vitest';
import { project, streamListeners, useStreamCommandsProject } from './support/stream-commands-project.js';

/**
 * The stream:* commands fail with exit 1 and say what to do: an unknown listener, a listener on
 * another driver, a Redis that is down.
 */

// No worker runs here: Mailer never handles anything.
const { Revenue, Mailer } = streamListeners(() => true);

describe('herald stream:* (real binary, private Redis)', () => {
  const world = useStreamCommandsProject([Revenue, Mailer]);

  it('an unknown listener, a listener on another driver and a Redis that is down fail with exit 1 and say what to do', async () => {
    const { herald, env } = await world();
    const commands = [
      ['stream:list'],
      ['stream:dead', 'Mailer'],
      ['stream:retry-dead', 'Mailer', 'all'],
      ['stream:replay', 'Mailer', '--from', 'start'],
    ];
    // Side by side: the Redis-down runs each wait out the connection's unavailableTimeout.
    const [unknown, memory, help, ...results] = await Promise.all([
      herald(['stream:dead', 'Nobody']),
      herald(['stream:replay', 'Audit', '--from', 'start']),
      herald(['stream:retry-dead', '--help']),
      ...commands.map((args) =>
        project.herald(['--config', 'down.config.ts', ...args], { env, timeoutMs: 30_000 }),
      ),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No queued listener named "Nobody" reads a streams connection (log)');
    expect(unknown.stderr).toContain('known here: Revenue, Mailer');
    expect(memory.code).toBe(1);
    expect(memory.stderr).toContain(
      'The listener "Audit" runs on the queue connection "mem" (driver memory), not on a streams connection',
    );

    results.forEach((down, index) => {
      expect(down.code, `${commands[index]?.join(' ')}: ${down.stderr}`).toBe(1);
      expect(down.stderr).toMatch(/Redis at 127\.0\.0\.1:\d+/);
      expect(down.stderr).toContain('queue connection "log"');
      expect(down.stderr).toContain('Check that Redis is running');
    });

    expect(help.code).toBe(0);
    expect(help.stdout).toContain('fresh tries');
  });
});
