import { describeQueueConformance } from './queue-conformance.js';
import { streamsHarness } from './streams-harness.js';

/**
 * The streams driver runs the attempt semantics (tries, backoff, timeout, release, fail,
 * failed()), which it shares with the queue drivers through the one JobRunner. The other suites
 * pin what a log cannot mean by design, so they are skipped with the reason.
 */
describeQueueConformance(
  'streams',
  streamsHarness,
  {},
  {
    'dispatch-time':
      'a dispatch appends one entry shared by every listener of the stream, so per-job results of viaQueue()/tags()/withDelay() and one job per listener do not apply',
    scheduling: 'a log is read in order: no delay, priority or unique (refused at boot on streams listeners)',
    'failed-jobs':
      'out-of-attempt entries go to the dead-letter stream <stream>:dead:<listener>, not (yet) a failed-job store',
    queues: 'a log has streams, not queues',
  },
);
