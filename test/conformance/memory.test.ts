import { inProcessHarness } from './in-process-harness.js';
import { describeQueueConformance } from './queue-conformance.js';

describeQueueConformance('memory', () => inProcessHarness('memory'));
