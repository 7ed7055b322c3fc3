import type { DriverFeatures } from '../../driver.js';

/** Everything a queued job can ask for, on Redis where every process of the app sees it. */
export const BULLMQ_FEATURES: DriverFeatures = { delays: true, priority: true, unique: true, shared: true };
