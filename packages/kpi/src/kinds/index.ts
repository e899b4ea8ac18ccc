import type { MeasureKind } from '../measure-kind.js';
import { openCountKind, plannedActualKind, presalesPerWinKind, spreadKind, sumRatioKind } from './sums.js';
import { ticketKind, ticketTimeKind } from './ticket.js';

export { coefficientOfVariationBp } from './sums.js';
export { ticketSpan } from './ticket.js';

/**
 * The measure kinds the engine folds as plug-ins without being told: the kinds of catalogue v2.
 *
 * @example `BUILT_IN_MEASURE_KINDS.map((k) => k.kind)` → `['sum-ratio', 'spread', 'open-count', 'planned-actual', 'presales-per-win', 'ticket', 'ticket-time']`
 */
export const BUILT_IN_MEASURE_KINDS: readonly MeasureKind[] = [
  sumRatioKind,
  spreadKind,
  openCountKind,
  plannedActualKind,
  presalesPerWinKind,
  ticketKind,
  ticketTimeKind,
];
