// What a fake records is what the dispatcher hands its recorder: plain data, defined beside the
// dispatcher so the core never imports herald/testing.
export type { RecordedDispatch, RecordedJob } from '../events/dispatch-recorder.js';
