import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A pretend mail server: each "email" is a line in an outbox file. */
export class Outbox {
  static readonly file =
    process.env.PLAYGROUND_OUTBOX_FILE ?? join(import.meta.dirname, '../../.data/outbox.txt');

  send(to: string, subject: string): void {
    mkdirSync(dirname(Outbox.file), { recursive: true });
    appendFileSync(Outbox.file, `To: ${to} | ${subject}\n`);
  }
}
