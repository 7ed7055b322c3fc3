import { On, Subscriber } from 'herald';
import { UserLoggedIn, UserLoggedOut } from '../events/user-events.js';
import { ActivityLog } from '../services/activity-log.js';

/** A subscriber: one class, several listeners (wire names `UserActivitySubscriber.onLogin`, ...). */
@Subscriber()
export class UserActivitySubscriber {
  constructor(private readonly log: ActivityLog) {}

  @On(UserLoggedIn)
  onLogin(event: UserLoggedIn): void {
    this.log.note('UserActivitySubscriber.onLogin', `${event.email} signed in`);
  }

  @On(UserLoggedOut, { queue: 'audit' })
  onLogout(event: UserLoggedOut): void {
    this.log.note('UserActivitySubscriber.onLogout', `${event.email} signed out (queued)`);
  }
}
