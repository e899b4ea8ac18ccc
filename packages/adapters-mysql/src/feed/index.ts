export {
  type ActivityFeedQuery,
  type ActivityFeedRunner,
  type ActivityFeedRunnerOptions,
  createActivityFeedRunner,
} from './activity-feed.js';
