import type { Page, PageContext } from './page-context.js';
import { eventPage } from './pages/event-page.js';
import { eventsPage } from './pages/events-page.js';
import { failedPage } from './pages/failed-page.js';
import { jobPage } from './pages/job-page.js';
import { listenerPage } from './pages/listener-page.js';
import { notFoundPage } from './pages/not-found-page.js';
import { overviewPage } from './pages/overview-page.js';
import { streamsPage } from './pages/streams-page.js';
import { workersPage } from './pages/workers-page.js';

/**
 * The HTML page of a path's decoded segments (`/events/orders.shipped` → `['events',
 * 'orders.shipped']`); other routes (`/live`, `/jobs/<id>/payload`, `/actions/*`) are the
 * handler's.
 */
export function pageFor(context: PageContext, segments: readonly string[]): Promise<Page> {
  const [first, second, ...rest] = segments;
  if (rest.length === 0) {
    if (first === undefined) return overviewPage(context);
    if (second === undefined) {
      if (first === 'events') return eventsPage(context);
      if (first === 'failed') return failedPage(context);
      if (first === 'streams') return streamsPage(context);
      if (first === 'workers') return workersPage(context);
    } else {
      if (first === 'events') return eventPage(context, second);
      if (first === 'listeners') return listenerPage(context, second);
      if (first === 'jobs') return jobPage(context, second);
    }
  }
  return Promise.resolve(notFoundPage(`Nothing at ${context.path}.`));
}
