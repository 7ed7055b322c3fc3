import { descriptorOf } from '../queue/drivers/descriptors.js';
import type { JobRunner } from '../queue/runner/job-runner.js';
import type { RecordedJob } from './recorded.js';

/**
 * Runs recorded jobs inline, in order, through the app's runner (the sync driver runs each job
 * before its push resolves); every job runs even when one fails, then the first failure rejects.
 */
export async function runRecordedJobs(jobs: readonly RecordedJob[], runner: JobRunner): Promise<void> {
  const driver = descriptorOf({ driver: 'sync' }).create('fake', { driver: 'sync' }, runner);
  const failures: unknown[] = [];
  for (const { job } of jobs) {
    try {
      await driver.push(job);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
