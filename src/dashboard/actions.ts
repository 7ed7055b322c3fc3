import type { Herald } from '../app.js';
import { HeraldError } from '../errors.js';
import type { ActionName } from './action-form.js';
import { groupKey, RETRY_GROUP_CAP, scanFailed } from './failed-groups.js';

/** What an action did: a message for the flash (or JSON) and the HTTP status. */
export interface ActionOutcome {
  readonly status: number;
  readonly message: string;
}

const ACTIONS: ReadonlySet<string> = new Set<ActionName>([
  'retry',
  'forget',
  'retry-group',
  'retry-dead',
  'replay',
]);

/** Whether a path segment names an action. */
export function isAction(name: string): name is ActionName {
  return ACTIONS.has(name);
}

function required(fields: ReadonlyMap<string, string>, name: string): string {
  const value = fields.get(name);
  if (value === undefined || value === '')
    throw new HeraldError('invalid_argument', `The form has no "${name}".`);
  return value;
}

function connectionOf(fields: ReadonlyMap<string, string>) {
  const connection = fields.get('connection');
  return connection === undefined || connection === '' ? {} : { connection };
}

/** A replay start from the form: `start`, an entry id (`<ms>-<seq>`), or a time Date.parse reads. */
export function replayFrom(text: string): 'start' | string | Date {
  const trimmed = text.trim();
  if (trimmed === 'start' || /^\d+-\d+$/.test(trimmed)) return trimmed;
  const at = new Date(trimmed);
  if (trimmed === '' || Number.isNaN(at.getTime())) {
    throw new HeraldError(
      'invalid_argument',
      `Cannot replay from "${trimmed}": give a time such as 2026-01-31T12:00:00Z, an entry id such as 1769860800000-0, or "start".`,
    );
  }
  return at;
}

async function run(
  herald: Herald,
  action: ActionName,
  fields: ReadonlyMap<string, string>,
): Promise<ActionOutcome> {
  switch (action) {
    case 'retry': {
      const id = required(fields, 'id');
      const retried = await herald.retryFailed([id], connectionOf(fields));
      return retried.length === 0
        ? { status: 404, message: `No failed job ${id} (retried or forgotten already?).` }
        : { status: 200, message: `Retrying ${id}.` };
    }
    case 'forget': {
      const id = required(fields, 'id');
      return (await herald.forgetFailed(id, connectionOf(fields)))
        ? { status: 200, message: `Deleted failed job ${id}.` }
        : { status: 404, message: `No failed job ${id} (retried or forgotten already?).` };
    }
    case 'retry-group': {
      const group = required(fields, 'group');
      const { connection = herald.defaultConnection } = connectionOf(fields);
      const members = (await scanFailed(herald, connection)).filter(
        (job) => groupKey(job.listener, job.error) === group,
      );
      if (members.length === 0) return { status: 404, message: 'No failed jobs left in that group.' };
      const ids = members.slice(0, RETRY_GROUP_CAP).map((job) => job.id);
      const retried = await herald.retryFailed(ids, { connection });
      const left = members.length - ids.length;
      return {
        status: 200,
        message: `Retrying ${retried.length} failed job${retried.length === 1 ? '' : 's'} of ${members[0]?.listener}${
          left > 0 ? ` (${left} more in the group: retry again)` : ''
        }.`,
      };
    }
    case 'retry-dead': {
      const listener = required(fields, 'listener');
      const id = required(fields, 'id');
      const outcome = await herald.retryDead(listener, id === 'all' ? 'all' : [id]);
      const parts = [
        `Retrying ${outcome.retried.length} dead letter${outcome.retried.length === 1 ? '' : 's'} of ${listener}`,
      ];
      if (outcome.trimmed.length > 0) parts.push(`${outcome.trimmed.length} no longer in the log`);
      if (outcome.unknown.length > 0) parts.push(`${outcome.unknown.length} unknown`);
      return {
        status: outcome.retried.length === 0 && id !== 'all' ? 404 : 200,
        message: `${parts.join('; ')}.`,
      };
    }
    case 'replay': {
      const listener = required(fields, 'listener');
      const from = replayFrom(required(fields, 'from'));
      const moved = await herald.replay(listener, { from });
      const shown = from instanceof Date ? from.toISOString() : from;
      return {
        status: 200,
        message: `Replaying ${listener} from ${shown} (${moved} partition${moved === 1 ? '' : 's'}).`,
      };
    }
  }
}

/**
 * Runs an action on the app. Wrong input (a bad time, an unknown listener) answers 400 with
 * herald's message; anything else (Redis down) is the caller's to report.
 */
export async function runAction(
  herald: Herald,
  action: ActionName,
  fields: ReadonlyMap<string, string>,
): Promise<ActionOutcome> {
  try {
    return await run(herald, action, fields);
  } catch (error) {
    if (
      HeraldError.is(error, 'invalid_argument') ||
      HeraldError.is(error, 'unknown_listener') ||
      HeraldError.is(error, 'unknown_connection') ||
      HeraldError.is(error, 'unsupported')
    )
      return { status: 400, message: error.message };
    throw error;
  }
}

/** Where an action sends the browser back to: a path inside the dashboard, else its overview. */
export function safeBack(back: string | undefined): string {
  if (back === undefined || !back.startsWith('/') || back.startsWith('//') || back.includes('\\')) return '/';
  return back;
}
