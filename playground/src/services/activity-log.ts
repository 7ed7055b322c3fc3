import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One thing that happened, as the playground's account prints it. */
export interface Activity {
  readonly at: string;
  readonly pid: number;
  readonly who: string;
  readonly what: string;
}

/**
 * Where listeners note what they did. A file rather than memory, because with Redis the queued
 * listeners run in a separate `herald queue:work` process and the account must see both.
 */
export class ActivityLog {
  static readonly file =
    process.env.PLAYGROUND_ACTIVITY_FILE ?? join(import.meta.dirname, '../../.data/activity.jsonl');

  /** Starts a fresh log. */
  static reset(): void {
    rmSync(ActivityLog.file, { force: true });
    mkdirSync(dirname(ActivityLog.file), { recursive: true });
  }

  /** Everything noted so far, in order. */
  static read(): Activity[] {
    if (!existsSync(ActivityLog.file)) return [];
    return readFileSync(ActivityLog.file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Activity);
  }

  note(who: string, what: string): void {
    const entry: Activity = { at: new Date().toISOString(), pid: process.pid, who, what };
    appendFileSync(ActivityLog.file, `${JSON.stringify(entry)}\n`);
  }
}
