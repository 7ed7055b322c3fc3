/**
 * Types what `test/setup/redis-global-setup.ts` and `postgres-global-setup.ts` provide, so `inject('redisUrl')` is a string
 * rather than a compile error. Imported by both sides so the augmentation is always in scope.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Redis the suite may use freely: a private server, or HERALD_TEST_REDIS_URL. */
    redisUrl: string;
    /** URL of a private PostgreSQL (its `postgres` database): create your own database on it. */
    postgresUrl: string;
  }
}

export {};
