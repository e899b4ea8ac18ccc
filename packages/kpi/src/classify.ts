import type { KpiDefinitionVersion } from './definition.js';
import { numberText } from './time.js';

/** How a result is judged against its version's thresholds. */
export type Classification = 'good' | 'warning' | 'breach' | 'unclassified';

export function classify(
  value: number,
  def: KpiDefinitionVersion,
): { classification: Classification; reason: string } {
  const t = def.thresholds;
  // Distinct values, one per result: uncached text (see numberText).
  const v = `${numberText(value)} ${def.unit}`;
  if (t === null)
    return { classification: 'unclassified', reason: `version ${def.version} defines no thresholds` };
  if (t.direction === 'higher_is_better') {
    if (value >= t.good)
      return {
        classification: 'good',
        reason: `${v} ≥ good threshold ${t.good} (higher is better, version ${def.version})`,
      };
    if (value >= t.warning)
      return {
        classification: 'warning',
        reason: `${v} < good threshold ${t.good} but ≥ warning threshold ${t.warning} (higher is better, version ${def.version})`,
      };
    return {
      classification: 'breach',
      reason: `${v} < warning threshold ${t.warning} (higher is better, version ${def.version})`,
    };
  }
  if (value <= t.good)
    return {
      classification: 'good',
      reason: `${v} ≤ good threshold ${t.good} (lower is better, version ${def.version})`,
    };
  if (value <= t.warning)
    return {
      classification: 'warning',
      reason: `${v} > good threshold ${t.good} but ≤ warning threshold ${t.warning} (lower is better, version ${def.version})`,
    };
  return {
    classification: 'breach',
    reason: `${v} > warning threshold ${t.warning} (lower is better, version ${def.version})`,
  };
}
