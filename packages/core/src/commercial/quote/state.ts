import type { Instant } from '../../kernel/index.js';
import type { QuoteEvent } from './events.js';
import type { LineGroup, PaymentItem, QuoteId, QuoteNumber, SaleId } from './model.js';

/** Where one version stands. Only `draft` content may change; every other state is frozen content. */
export type VersionState = 'draft' | 'sent' | 'accepted' | 'rejected' | 'superseded' | 'expired';

/** A content snapshot of a quote. */
export interface QuoteVersion {
  readonly version: number;
  readonly basedOn: number | null;
  readonly state: VersionState;
  readonly title: string;
  readonly validUntil: string | null;
  readonly groups: readonly LineGroup[];
  readonly schedule: readonly PaymentItem[] | null;
  /** Who approved the current content; any content change clears it (approval is per content). */
  readonly approvedBy: string | null;
}

/** Who accepted which version, when, and the sale it became. */
export interface QuoteAcceptance {
  readonly version: number;
  readonly saleId: SaleId;
  readonly acceptedBy: string;
  readonly acceptedAt: Instant;
}

/** The fields every existing quote has. */
export interface QuoteDetails {
  readonly quoteId: QuoteId;
  readonly quoteNumber: QuoteNumber;
  readonly opportunityId: string;
  readonly customerId: string;
  readonly currency: string;
  /** A delta quote's locked parent (additive/corrective), else null. */
  readonly parentQuoteId: string | null;
  /** The quote this clone explicitly supersedes, else null. */
  readonly supersedesQuoteId: string | null;
  /** Every version, oldest first; the last is the current one. */
  readonly versions: readonly QuoteVersion[];
  readonly acceptance: QuoteAcceptance | null;
  /** Payment items whose due event has fired (each fires once). */
  readonly dueItemIds: readonly string[];
}

/** A quote's state, a union on `status` (`accepted` and `rejected` are terminal). */
export type QuoteState =
  | { readonly status: 'absent' }
  | (QuoteDetails & { readonly status: 'open' | 'accepted' | 'rejected' });

/** The state before any event. @example `initialQuoteState()` → `{ status: 'absent' }` */
export function initialQuoteState(): QuoteState {
  return { status: 'absent' };
}

/** The current (last) version of an existing quote. @example `currentVersion(state).state` */
export function currentVersion(state: QuoteDetails): QuoteVersion {
  return state.versions[state.versions.length - 1] as QuoteVersion;
}

type Existing = QuoteDetails & { readonly status: 'open' | 'accepted' | 'rejected' };

function mapVersion(s: Existing, version: number, f: (v: QuoteVersion) => QuoteVersion): Existing {
  return { ...s, versions: s.versions.map((v) => (v.version === version ? f(v) : v)) };
}

/** A content change: applies `f` and clears the approval (it was given for other content). */
function edit(s: Existing, version: number, f: (v: QuoteVersion) => Partial<QuoteVersion>): Existing {
  return mapVersion(s, version, (v) => ({ ...v, ...f(v), approvedBy: null }));
}

/**
 * Folds one event into a quote's state; an event that does not fit leaves it unchanged.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveQuote, initialQuoteState());
 * ```
 */
export function evolveQuote(state: QuoteState, event: QuoteEvent): QuoteState {
  if (event.type === 'quote.created') {
    if (state.status !== 'absent') return state;
    const p = event.payload;
    return {
      status: 'open',
      quoteId: p.quoteId,
      quoteNumber: p.quoteNumber,
      opportunityId: p.opportunityId,
      customerId: p.customerId,
      currency: p.currency,
      parentQuoteId: p.parentQuoteId ?? null,
      supersedesQuoteId: p.supersedesQuoteId ?? null,
      versions: [
        {
          version: 1,
          basedOn: null,
          state: 'draft',
          title: p.title ?? '',
          validUntil: p.validUntil ?? null,
          groups: [],
          schedule: null,
          approvedBy: null,
        },
      ],
      acceptance: null,
      dueItemIds: [],
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'quote.details_changed':
      return edit(state, event.payload.version, () => ({
        ...(event.payload.title === undefined ? {} : { title: event.payload.title }),
        ...(event.payload.validUntil === undefined ? {} : { validUntil: event.payload.validUntil }),
      }));
    case 'quote.group_added':
      return edit(state, event.payload.version, (v) => ({
        groups: [...v.groups, { ...event.payload.group, lines: [] }],
      }));
    case 'quote.line_added':
      return edit(state, event.payload.version, (v) => ({
        groups: v.groups.map((g) =>
          g.groupId === event.payload.groupId ? { ...g, lines: [...g.lines, event.payload.line] } : g,
        ),
      }));
    case 'quote.line_removed':
      return edit(state, event.payload.version, (v) => ({
        groups: v.groups.map((g) => ({
          ...g,
          lines: g.lines.filter((l) => l.lineId !== event.payload.lineId),
        })),
      }));
    case 'quote.payment_schedule_defined':
      return edit(state, event.payload.version, () => ({ schedule: event.payload.items }));
    case 'quote.approved':
      return mapVersion(state, event.payload.version, (v) => ({
        ...v,
        approvedBy: event.payload.approverEmployeeId,
      }));
    case 'quote.sent':
      return mapVersion(state, event.payload.version, (v) => ({ ...v, state: 'sent' }));
    case 'quote.version_created': {
      const from = state.versions.find((v) => v.version === event.payload.basedOn) ?? currentVersion(state);
      return {
        ...state,
        versions: [
          ...state.versions,
          {
            ...from,
            version: event.payload.version,
            basedOn: event.payload.basedOn,
            state: 'draft',
            approvedBy: null,
          },
        ],
      };
    }
    case 'quote.superseded':
      return mapVersion(state, event.payload.version, (v) => ({ ...v, state: 'superseded' }));
    case 'quote.expired':
      return mapVersion(state, event.payload.version, (v) => ({ ...v, state: 'expired' }));
    case 'quote.rejected':
      return {
        ...mapVersion(state, event.payload.version, (v) => ({ ...v, state: 'rejected' })),
        status: 'rejected',
      };
    case 'quote.accepted': {
      const a = event.payload;
      return {
        ...mapVersion(state, a.version, (v) => ({ ...v, state: 'accepted' })),
        status: 'accepted',
        acceptance: {
          version: a.version,
          saleId: a.saleId,
          acceptedBy: a.acceptedBy,
          acceptedAt: a.acceptedAt,
        },
      };
    }
    case 'quote.payment_item_due':
      return { ...state, dueItemIds: [...state.dueItemIds, event.payload.itemId] };
  }
}
