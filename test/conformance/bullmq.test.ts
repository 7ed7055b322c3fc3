import { bullmqHarness } from './bullmq-harness.js';
import { describeQueueConformance } from './queue-conformance.js';

describeQueueConformance('bullmq', bullmqHarness);
