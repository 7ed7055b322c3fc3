/**
 * `herald/dashboard`: the web dashboard as a Node request handler.
 *
 * @example
 * import { createDashboard } from 'herald/dashboard';
 * app.use('/herald', createDashboard({ herald, authorize: (req) => req.headers['x-admin-token'] === process.env.ADMIN_TOKEN }));
 */
export { createDashboard, type DashboardHandler } from './create-dashboard.js';
export type { DashboardAuthorize, DashboardOptions } from './dashboard-options.js';
