/**
 * Delivery context: projects held to what was sold — sold constraints (baselines), milestones, tasks and
 * variances (spec §2.14–2.18).
 *
 * @module
 */
export {};
