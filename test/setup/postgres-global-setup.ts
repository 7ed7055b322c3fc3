import type { TestProject } from 'vitest/node';
import { type PostgresServerHandle, startPostgresServer } from '../support/postgres-server.js';
import './provided-context.js';

/** Like HERALD_TEST_REDIS_URL: never DATABASE_URL, which is commonly an app's real database. */
const OVERRIDE_ENV = 'HERALD_TEST_POSTGRES_URL';

/**
 * vitest globalSetup: starts one private PostgreSQL for the suite (or uses
 * `HERALD_TEST_POSTGRES_URL`) and provides its URL as `inject('postgresUrl')`. Tests create
 * their own database on it (`CREATE DATABASE`) so files never see each other's tables; fault
 * tests that kill the server start their own with `startPostgresServer()`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const override = process.env[OVERRIDE_ENV];
  if (override !== undefined && override !== '') {
    project.provide('postgresUrl', override);
    return async () => {};
  }
  const server: PostgresServerHandle = await startPostgresServer();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
