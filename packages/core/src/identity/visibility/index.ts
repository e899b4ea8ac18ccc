export {
  canSee,
  type OrgVersionSnapshot,
  reachIncludes,
  type Viewer,
  type ViewerReach,
  type VisibilityScope,
  viewerReach,
} from './policy.js';
