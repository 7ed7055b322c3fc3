import { createInterface, type Interface } from 'node:readline';
import { HeraldError } from '../../errors.js';
import { CommandRefused } from '../command-refused.js';

/** Whether the user can be asked: both stdin and stdout are a terminal. */
export function canPrompt(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

interface Session {
  readonly rl: Interface;
  readonly lines: AsyncIterator<string>;
}

let session: Session | undefined;

function open(): Session {
  if (session !== undefined) return session;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  // Without a SIGINT listener readline only pauses on Ctrl-C, and the command would hang.
  rl.on('SIGINT', () => rl.close());
  // One interface and one line iterator for every question of a command: the iterator buffers,
  // so answers typed (or pasted) ahead of the next question are not lost.
  session = { rl, lines: rl[Symbol.asyncIterator]() };
  return session;
}

/** Releases the terminal; a command that may have asked calls it when done. */
export function closePrompts(): void {
  session?.rl.close();
  session = undefined;
}

/**
 * Asks on the terminal until `accept` takes the answer (it returns the value, or throws a
 * HeraldError whose message is shown before asking again). Ctrl-C or Ctrl-D cancels with
 * CommandRefused: the person declined to answer, which is not a bad name (`bad_name` is for names
 * given), and the command exits 1 without writing anything (test/cli/prompt-cancel.test.ts).
 */
export async function ask<T>(question: string, accept: (answer: string) => T | Promise<T>): Promise<T> {
  const { rl, lines } = open();
  for (;;) {
    rl.setPrompt(question);
    rl.prompt();
    const next = await lines.next();
    if (next.done === true) {
      process.stdout.write('\n');
      throw new CommandRefused('Cancelled: no name was given, nothing was written.');
    }
    try {
      return await accept(next.value.trim());
    } catch (error) {
      if (!HeraldError.is(error)) throw error;
      process.stdout.write(`${error.message}\n`);
    }
  }
}
