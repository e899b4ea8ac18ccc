// Not a test file: a deterministic commercial event stream for the KPI runner and feed contract suites.
import type { EventDraft, Instant, Uuid } from '@pet-ops/core';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
/** A valid UUIDv7 from a kind and a counter. */
export const fixtureId = (kind: number, n: number): Uuid =>
  `019b76da-a800-7${hex(kind, 3)}-8${hex(Math.floor(n / 2 ** 44) % 4096, 3)}-${hex(n % 2 ** 44, 12).slice(-12)}` as Uuid;

const instant = (ms: number): Instant => `${new Date(ms).toISOString().slice(0, 23)}000Z` as Instant;

/**
 * `deals` sales cycles (lead → qualification → opportunity → quote → acceptance or loss), 4–8 events
 * each, starting at `firstDeal`, spread over 2026 with employees 1–8.
 */
export function commercialDrafts(deals: number, firstDeal = 0, seed = 7): EventDraft[] {
  const rand = seeded(seed + firstDeal);
  const out: EventDraft[] = [];
  let counter = firstDeal * 16;
  const base = Date.UTC(2026, 0, 1);
  for (let d = firstDeal; d < firstDeal + deals; d++) {
    const actor = fixtureId(0x100, 1 + Math.floor(rand() * 8));
    let t = base + Math.floor(rand() * 300) * 86_400_000 + Math.floor(rand() * 86_400_000);
    const push = (type: string, payload: Record<string, unknown>): void => {
      out.push({
        eventId: fixtureId(0x900, counter++),
        type,
        schemaVersion: 1,
        streamType: type.split('.')[0] as string,
        occurredAt: instant(t),
        actor: { type: 'employee', id: actor },
        context: { customerId: fixtureId(0x200, d % 5) },
        correlationId: null,
        causationId: null,
        payload,
      });
      t += Math.floor(rand() * 5 * 86_400_000);
    };
    const leadId = fixtureId(0x300, d);
    const oppId = fixtureId(0x400, d);
    const quoteId = fixtureId(0x500, d);
    const cls = (['gold', 'silver', 'bronze'] as const)[d % 3];
    push('lead.created', {
      leadId,
      source: 'web',
      customerId: null,
      ownerEmployeeId: actor,
      teamId: null,
      schemaVersion: null,
    });
    if (rand() < 0.3) {
      push('lead.disqualified', { leadId, qualificationId: fixtureId(0x600, d), reason: 'no budget' });
      continue;
    }
    push('lead.qualified', { leadId, qualificationId: fixtureId(0x600, d), opportunityClass: cls });
    const value = { amountMinor: 10_000 + Math.floor(rand() * 1_000_000), currency: 'EUR' };
    push('opportunity.created', {
      opportunityId: oppId,
      leadId,
      customerId: fixtureId(0x200, d % 5),
      opportunityClass: cls,
      probabilityBp: 2000,
      estimatedValue: value,
      ownerEmployeeId: actor,
      teamId: null,
    });
    push('opportunity.probability_changed', { opportunityId: oppId, probabilityBp: 6000, previous: 2000 });
    push('quote.sent', {
      quoteId,
      version: 1,
      opportunityId: oppId,
      customerId: fixtureId(0x200, d % 5),
      totalSell: value,
      totalCost: value,
    });
    if (rand() < 0.5) {
      push('quote.accepted', {
        quoteId,
        version: 1,
        opportunityId: oppId,
        customerId: fixtureId(0x200, d % 5),
        saleId: fixtureId(0x700, d),
        totalSell: value,
        totalCost: value,
        acceptedBy: 'Customer',
        acceptedAt: instant(t),
      });
      push('opportunity.won', { opportunityId: oppId, opportunityClass: cls, quoteId });
    } else {
      push('opportunity.lost', { opportunityId: oppId, opportunityClass: cls, reason: 'price' });
    }
  }
  return out;
}
