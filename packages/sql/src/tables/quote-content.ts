import { Commercial, type Money } from '@pet-ops/core';
import { definePartTable, derivedId, type PartTable } from '../state-table.js';

// A quote's content in the seed's tables (spec §2.10–2.12): one row per version, per line group of a
// version, per line of a group. The quote row stays the aggregate's one lock and one version check (the
// concurrent-accept guarantee rests on it) and keeps the whole content as its JSON snapshot, which the
// domain decides on; these rows are written from that state in the same transaction, diffed, so they
// always hold exactly what the snapshot holds (`assembleQuoteVersions` reads them back into it), and the
// database guards them: content is frozen once a version leaves draft, lines and groups never change.

type Quote = Commercial.QuoteState;

const versionColumns = {
  id: { type: 'id' },
  quote_id: { type: 'id' },
  version_number: { type: 'int' },
  based_on_version: { type: 'int', nullable: true },
  supersedes_version_id: { type: 'id', nullable: true },
  state: { type: 'enum' },
  title: { type: 'text' },
  valid_until: { type: 'text', nullable: true },
  currency: { type: 'text' },
  total_sell: { type: 'money' },
  total_cost: { type: 'money' },
  total_margin: { type: 'money' },
  payment_schedule: { type: 'json', nullable: true },
  approved_by: { type: 'text', nullable: true },
  accepted_at: { type: 'instant', nullable: true },
  accepted_by: { type: 'text', nullable: true },
} as const;

const groupColumns = {
  id: { type: 'id' },
  quote_id: { type: 'id' },
  quote_version_id: { type: 'id' },
  version_number: { type: 'int' },
  group_id: { type: 'id' },
  component_type: { type: 'enum' },
  pricing_model: { type: 'enum' },
  title: { type: 'text' },
  sort_order: { type: 'int' },
  cadence: { type: 'enum', nullable: true },
  term_months: { type: 'int', nullable: true },
  expected_minutes_per_period: { type: 'minutes', nullable: true },
  sla_definition_id: { type: 'id', nullable: true },
  sla_version_number: { type: 'int', nullable: true },
  sell_value: { type: 'money' },
  internal_cost: { type: 'money' },
} as const;

const lineColumns = {
  id: { type: 'id' },
  quote_id: { type: 'id' },
  quote_version_id: { type: 'id' },
  quote_line_group_id: { type: 'id' },
  version_number: { type: 'int' },
  line_id: { type: 'id' },
  line_kind: { type: 'enum' },
  description: { type: 'text' },
  sort_order: { type: 'int' },
  quantity: { type: 'int' },
  unit: { type: 'enum' },
  unit_price: { type: 'money', nullable: true },
  unit_cost: { type: 'money', nullable: true },
  minutes: { type: 'minutes', nullable: true },
  catalog_item_id: { type: 'id', nullable: true },
  sku: { type: 'text', nullable: true },
  catalog_name: { type: 'text', nullable: true },
  role_id: { type: 'id', nullable: true },
  role_name: { type: 'text', nullable: true },
  sell_rate_per_hour: { type: 'money', nullable: true },
  cost_rate_per_hour: { type: 'money', nullable: true },
  recommended_sell_rate_per_hour: { type: 'money', nullable: true },
  department_snapshot: { type: 'text', nullable: true },
  milestone_name: { type: 'text', nullable: true },
  milestone_sequence: { type: 'int', nullable: true },
  draft_ticket_id: { type: 'id', nullable: true },
  sell_value: { type: 'money' },
  internal_cost: { type: 'money' },
  removed_at: { type: 'instant', nullable: true },
} as const;

type Row = Record<string, unknown>;

/** The row id of version `version` of a quote. @example `quoteVersionRowId(quoteId, 2)` */
export function quoteVersionRowId(quoteId: string, version: number): string {
  return derivedId('quote_versions', quoteId, version);
}
const groupRowId = (quoteId: string, version: number, groupId: string): string =>
  derivedId('quote_line_groups', quoteId, version, groupId);
const lineRowId = (quoteId: string, version: number, lineId: string): string =>
  derivedId('quote_lines', quoteId, version, lineId);

const PRICING: Readonly<Record<Commercial.LineGroupKind, string>> = {
  catalog: 'once_off',
  implementation: 'project',
  recurring: 'recurring',
  adjustment: 'once_off',
};

const amount = (m: Money | null | undefined): number | null =>
  m === null || m === undefined ? null : m.amountMinor;

function versionRows(s: Quote, quoteId: string): Row[] {
  if (s.status === 'absent') return [];
  return s.versions.map((v) => {
    const t = Commercial.versionTotals(v.groups, s.currency);
    const accepted = s.acceptance?.version === v.version ? s.acceptance : null;
    return {
      id: quoteVersionRowId(quoteId, v.version),
      quote_id: quoteId,
      version_number: v.version,
      based_on_version: v.basedOn,
      supersedes_version_id: v.basedOn === null ? null : quoteVersionRowId(quoteId, v.basedOn),
      state: v.state,
      title: v.title,
      valid_until: v.validUntil,
      currency: s.currency,
      total_sell: t.sell.amountMinor,
      total_cost: t.cost.amountMinor,
      total_margin: t.margin.amountMinor,
      payment_schedule: v.schedule,
      approved_by: v.approvedBy,
      accepted_at: accepted?.acceptedAt ?? null,
      accepted_by: accepted?.acceptedBy ?? null,
    };
  });
}

function groupRows(s: Quote, quoteId: string): Row[] {
  if (s.status === 'absent') return [];
  return s.versions.flatMap((v) =>
    v.groups.map((g, i) => {
      const t = Commercial.groupTotals(g, s.currency);
      return {
        id: groupRowId(quoteId, v.version, g.groupId),
        quote_id: quoteId,
        quote_version_id: quoteVersionRowId(quoteId, v.version),
        version_number: v.version,
        group_id: g.groupId,
        component_type: g.kind,
        pricing_model: PRICING[g.kind],
        title: g.title,
        sort_order: i + 1,
        cadence: g.recurring?.cadence ?? null,
        term_months: g.recurring?.termMonths ?? null,
        expected_minutes_per_period: g.recurring?.expectedMinutesPerPeriod ?? null,
        // The domain binds no SLA to a recurring group yet: the columns wait for it (spec §2.11).
        sla_definition_id: null,
        sla_version_number: null,
        sell_value: t.sell.amountMinor,
        internal_cost: t.cost.amountMinor,
      };
    }),
  );
}

function lineRows(s: Quote, quoteId: string): Row[] {
  if (s.status === 'absent') return [];
  return s.versions.flatMap((v) =>
    v.groups.flatMap((g) =>
      g.lines.map((l, i) => {
        const t = Commercial.lineTotals(l, s.currency);
        return {
          id: lineRowId(quoteId, v.version, l.lineId),
          quote_id: quoteId,
          quote_version_id: quoteVersionRowId(quoteId, v.version),
          quote_line_group_id: groupRowId(quoteId, v.version, g.groupId),
          version_number: v.version,
          line_id: l.lineId,
          line_kind: l.kind,
          description: l.description,
          sort_order: i + 1,
          quantity: l.quantity,
          // Time-priced lines are priced per hour of their role (minutes held exactly); the rest per unit.
          unit: l.minutes !== null && l.role !== null ? 'hour' : 'each',
          unit_price: amount(l.unitPrice),
          unit_cost: amount(l.unitCost),
          minutes: l.minutes,
          catalog_item_id: l.catalog?.catalogItemId ?? null,
          sku: l.catalog?.sku ?? null,
          catalog_name: l.catalog?.name ?? null,
          role_id: l.role?.roleId ?? null,
          role_name: l.role?.name ?? null,
          sell_rate_per_hour: amount(l.role?.sellRatePerHour),
          cost_rate_per_hour: amount(l.role?.costRatePerHour),
          recommended_sell_rate_per_hour: amount(l.role?.recommendedSellRatePerHour),
          department_snapshot: null,
          milestone_name: l.milestone?.name ?? null,
          milestone_sequence: l.milestone?.sequence ?? null,
          draft_ticket_id: null,
          sell_value: t.sell.amountMinor,
          internal_cost: t.cost.amountMinor,
          removed_at: null,
        };
      }),
    ),
  );
}

/**
 * `quote_versions`: one row per version of a quote (UNIQUE(quote_id, version_number)); the content
 * columns are frozen by the database once the version leaves draft, only `state` moves on.
 *
 * @example `quotesTable.parts` → `[quoteVersionsTable, quoteLineGroupsTable, quoteLinesTable]`
 */
export const quoteVersionsTable: PartTable<Quote> = definePartTable<Quote>({
  table: 'quote_versions',
  columns: versionColumns,
  rowsOf: versionRows,
});

/**
 * `quote_line_groups`: one row per line group (component) of a version, in the version's order; never
 * changes once written (a version's groups are only ever added while it is a draft).
 *
 * @example `quoteLineGroupsTable.table` → `'quote_line_groups'`
 */
export const quoteLineGroupsTable: PartTable<Quote> = definePartTable<Quote>({
  table: 'quote_line_groups',
  columns: groupColumns,
  rowsOf: groupRows,
});

/**
 * `quote_lines`: one row per line of a version with its catalog, role and rate snapshots; never changes
 * once written except `removed_at`, set when a draft line is removed (rows are never deleted).
 *
 * @example `quoteLinesTable.retiredColumn` → `'removed_at'`
 */
export const quoteLinesTable: PartTable<Quote> = definePartTable<Quote>({
  table: 'quote_lines',
  columns: lineColumns,
  rowsOf: lineRows,
  retiredColumn: 'removed_at',
});

/** The part tables of a quote, in write order. @example `QUOTE_CONTENT_TABLES.map((t) => t.table)` */
export const QUOTE_CONTENT_TABLES: readonly PartTable<Quote>[] = [
  quoteVersionsTable,
  quoteLineGroupsTable,
  quoteLinesTable,
];

const money = (amountMinor: unknown, currency: string): Money =>
  ({ amountMinor: Number(amountMinor), currency }) as Money;
const moneyOrNull = (amountMinor: unknown, currency: string): Money | null =>
  amountMinor === null || amountMinor === undefined ? null : money(amountMinor, currency);
const bySort = (a: Row, b: Row): number => Number(a['sort_order']) - Number(b['sort_order']);

/**
 * Re-assembles a quote's versions from its rows (as `rowsOf` writes them, removed lines included and
 * skipped): the inverse of the part tables, for hosts and tools that read the rows, and what the
 * upgrade's property test holds the data move to.
 *
 * @example
 * ```ts
 * const versions = assembleQuoteVersions(versionRows, groupRows, lineRows);
 * ```
 */
export function assembleQuoteVersions(
  versions: readonly Row[],
  groups: readonly Row[],
  lines: readonly Row[],
): Commercial.QuoteVersion[] {
  const sorted = [...versions].sort((a, b) => Number(a['version_number']) - Number(b['version_number']));
  return sorted.map((v): Commercial.QuoteVersion => {
    const currency = String(v['currency']);
    const versionId = v['id'];
    const ownGroups = groups.filter((g) => g['quote_version_id'] === versionId).sort(bySort);
    return {
      version: Number(v['version_number']),
      basedOn: v['based_on_version'] === null ? null : Number(v['based_on_version']),
      state: v['state'] as Commercial.VersionState,
      title: String(v['title']),
      validUntil: (v['valid_until'] as string | null) ?? null,
      schedule: (v['payment_schedule'] as Commercial.PaymentItem[] | null) ?? null,
      approvedBy: (v['approved_by'] as string | null) ?? null,
      groups: ownGroups.map((g): Commercial.LineGroup => {
        const ownLines = lines
          .filter((l) => l['quote_line_group_id'] === g['id'] && l['removed_at'] === null)
          .sort(bySort);
        return {
          groupId: String(g['group_id']),
          kind: g['component_type'] as Commercial.LineGroupKind,
          title: String(g['title']),
          recurring:
            g['cadence'] === null
              ? null
              : {
                  cadence: g['cadence'] as Commercial.Cadence,
                  termMonths: Number(g['term_months']),
                  expectedMinutesPerPeriod: Number(g['expected_minutes_per_period']),
                },
          lines: ownLines.map(
            (l): Commercial.QuoteLine => ({
              lineId: String(l['line_id']),
              kind: l['line_kind'] as Commercial.LineKind,
              description: String(l['description']),
              quantity: Number(l['quantity']),
              unitPrice: moneyOrNull(l['unit_price'], currency),
              unitCost: moneyOrNull(l['unit_cost'], currency),
              minutes: l['minutes'] === null ? null : Number(l['minutes']),
              catalog:
                l['catalog_item_id'] === null
                  ? null
                  : {
                      catalogItemId: String(l['catalog_item_id']),
                      sku: (l['sku'] as string | null) ?? null,
                      name: String(l['catalog_name']),
                    },
              role:
                l['role_id'] === null
                  ? null
                  : {
                      roleId: String(l['role_id']),
                      name: String(l['role_name']),
                      sellRatePerHour: money(l['sell_rate_per_hour'], currency),
                      costRatePerHour: money(l['cost_rate_per_hour'], currency),
                      recommendedSellRatePerHour: moneyOrNull(l['recommended_sell_rate_per_hour'], currency),
                    },
              milestone:
                l['milestone_name'] === null
                  ? null
                  : { name: String(l['milestone_name']), sequence: Number(l['milestone_sequence']) },
            }),
          ),
        };
      }),
    };
  });
}
