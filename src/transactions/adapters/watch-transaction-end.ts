/** How a transaction an ORM ran ended, as seen on its connection. */
export type TransactionEnd = 'committed' | 'rolled_back';

/** What a watcher needs to know about one library's query method. */
export interface StatementShape {
  /** The SQL text of a call's first argument (a string, or an object holding it). */
  textOf(first: unknown): string | undefined;
  /** Whether the answer to a COMMIT says it rolled back instead (PostgreSQL's ROLLBACK tag). */
  rolledBack(answer: unknown): boolean;
}

/** A watch on one connection; `stop()` puts its method back untouched. */
export interface TransactionWatch {
  readonly ended: Promise<TransactionEnd>;
  stop(): void;
}

type Callback = (error: unknown, answer?: unknown) => void;
type QueryMethod = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Learns when the ORM ends a transaction by watching the statements its connection runs: the
 * ORM's own COMMIT (or ROLLBACK) goes through `target[method]` like every query (kysely's
 * `DatabaseConnection.executeQuery`, node-postgres `Client.query`, which knex calls with a
 * callback and drizzle with a promise). The ORMs offer no commit hook of their own. The method
 * is shadowed on that one connection object until the first COMMIT or ROLLBACK, then restored;
 * the SAVEPOINT statements of nested ORM transactions pass through. A COMMIT counts as committed
 * only when it succeeded and PostgreSQL did not answer it with ROLLBACK (an aborted transaction).
 */
export function watchTransactionEnd(target: object, method: string, shape: StatementShape): TransactionWatch {
  const record = target as Record<string, unknown>;
  const original = record[method] as QueryMethod;
  const hadOwn = Object.hasOwn(target, method);
  let settle!: (end: TransactionEnd) => void;
  const ended = new Promise<TransactionEnd>((resolve) => {
    settle = resolve;
  });
  const stop = (): void => {
    if (record[method] !== watcher) return;
    if (hadOwn) record[method] = original;
    else delete record[method];
  };
  const watcher: QueryMethod = function (this: unknown, ...args: unknown[]) {
    const end = endOf(shape.textOf(args[0]));
    if (end === undefined) return original.apply(this, args);
    stop();
    const finish = (error: unknown, answer?: unknown): void => {
      settle(
        end === 'commit' && error === undefined && !shape.rolledBack(answer) ? 'committed' : 'rolled_back',
      );
    };
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = ((error: unknown, answer?: unknown) => {
        finish(error ?? undefined, answer);
        (last as Callback)(error, answer);
      }) satisfies Callback;
      return original.apply(this, args);
    }
    const returned = original.apply(this, args);
    Promise.resolve(returned).then(
      (answer) => finish(undefined, answer),
      (error: unknown) => finish(error ?? new Error('COMMIT failed')),
    );
    return returned;
  };
  record[method] = watcher;
  return { ended, stop };
}

/** `commit` / `rollback` for the statements that end a transaction; undefined for the rest. */
function endOf(text: string | undefined): 'commit' | 'rollback' | undefined {
  if (text === undefined) return undefined;
  const statement = text.trim().replace(/;$/, '').trim().toLowerCase();
  if (statement === 'commit' || statement === 'end' || statement === 'commit transaction') return 'commit';
  if (statement === 'rollback' || statement === 'abort' || statement === 'rollback transaction')
    return 'rollback';
  return undefined;
}

/** The command tag node-postgres reports (`result.command`), read without its types. */
export function pgAnswerRolledBack(answer: unknown): boolean {
  return (answer as { command?: unknown } | undefined)?.command === 'ROLLBACK';
}

/** The SQL of a node-postgres `query()` call's first argument: a string or `{ text }`. */
export function pgTextOf(first: unknown): string | undefined {
  if (typeof first === 'string') return first;
  const text = (first as { text?: unknown } | null | undefined)?.text;
  return typeof text === 'string' ? text : undefined;
}
