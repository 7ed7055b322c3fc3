/**
 * A command that will not do what it was asked, with the reason and what to do instead (the CLI
 * prints the message and exits 1). For refusals of the command line itself, not of the library:
 * those are HeraldErrors.
 */
export class CommandRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandRefused';
  }
}
