import { Dispatchable, Event } from 'herald';

/** A user signed in. */
@Event('users.logged-in')
export class UserLoggedIn extends Dispatchable {
  constructor(readonly email: string) {
    super();
  }
}

/** A user signed out. */
@Event('users.logged-out')
export class UserLoggedOut extends Dispatchable {
  constructor(readonly email: string) {
    super();
  }
}
