/**
 * Whether the queued listeners of `OrderPlaced` wait for the order's transaction to commit
 * (`afterCommit`). With REDIS_URL and DATABASE_URL the app has an outbox: a job pushed inside the
 * transaction is a row of it, dropped on rollback and relayed after the commit (and a crash after
 * the commit loses nothing), so they need not wait. On the in-process memory queue there is no
 * outbox: a job pushed inside the transaction would run at once, even for an order that then
 * rolls back, so they wait. Outside a transaction (no DATABASE_URL) `afterCommit` changes nothing.
 */
export const HOLD_FOR_COMMIT = !(process.env.REDIS_URL && process.env.DATABASE_URL);
