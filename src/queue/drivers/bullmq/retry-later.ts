/** Thrown to BullMQ to ask for a retry after the delay the JobRunner chose. */
export class RetryLater extends Error {
  readonly delay: number;
  constructor(error: Error, delay: number) {
    super(error.message);
    this.name = error.name;
    this.stack = error.stack;
    this.delay = delay;
  }
}
