import type { Calendar, EventDraft, Identity, Instant } from '@pet-ops/core';
import { Support } from '@pet-ops/core';
import { type ChildTable, defineChildTable, defineStateTable, type StateTable } from '../state-table.js';

// ---------------------------------------------------------------------------------------------------
// tickets + ticket_links
// ---------------------------------------------------------------------------------------------------

const ticketLinkColumns = {
  id: { type: 'id' },
  ticket_id: { type: 'id' },
  link_type: { type: 'enum' },
  linked_id: { type: 'text' },
  linked_at: { type: 'instant' },
} as const;

/**
 * `<prefix>ticket_links`: one append-only row per `ticket.link_added` (its id is the event's id), written
 * with the ticket's row in the same transaction.
 *
 * @example
 * ```ts
 * ticketLinksTable.rowsOf(linkAddedDraft, ticketId); // [{ id, ticket_id, link_type: 'quote', … }]
 * ```
 */
export const ticketLinksTable: ChildTable<typeof ticketLinkColumns> = defineChildTable({
  table: 'ticket_links',
  columns: ticketLinkColumns,
  rowsOf: (e: EventDraft, ticketId: string) => {
    if (e.type !== 'ticket.link_added') return [];
    const p = e.payload as Support.TicketLinkAddedPayload;
    return [
      { id: e.eventId, ticket_id: ticketId, link_type: p.linkType, linked_id: p.linkedId, linked_at: p.at },
    ];
  },
});

const ticketColumns = {
  state: { type: 'enum' },
  lifecycle_owner: { type: 'enum' },
  customer_id: { type: 'id', nullable: true },
  site_id: { type: 'id', nullable: true },
  project_id: { type: 'id', nullable: true },
  subject: { type: 'text' },
  priority: { type: 'enum' },
  ticket_kind: { type: 'enum' },
  sold_minutes: { type: 'minutes', nullable: true },
  sla_mode: { type: 'enum' },
  sla_opt_out_reason: { type: 'text', nullable: true },
  parent_ticket_id: { type: 'id', nullable: true },
  root_ticket_id: { type: 'id' },
  is_rollup: { type: 'bool' },
  split_children: { type: 'json' },
  assignment_mode: { type: 'enum', nullable: true },
  preferred_assignee_id: { type: 'id', nullable: true },
  assigned_team_id: { type: 'id', nullable: true },
  assigned_employee_id: { type: 'id', nullable: true },
  links: { type: 'json' },
  opened_at: { type: 'instant', nullable: true },
  responded_at: { type: 'instant', nullable: true },
  resolved_at: { type: 'instant', nullable: true },
  closed_at: { type: 'instant', nullable: true },
  created_at: { type: 'instant' },
  archived_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `ticket` aggregate's state table, `<prefix>tickets`, with its append-only `ticket_links`.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(ticketsTable)).load(ticketId));
 * ```
 */
export const ticketsTable: StateTable<Support.TicketState, typeof ticketColumns> = defineStateTable({
  streamType: Support.TICKET_STREAM_TYPE,
  table: 'tickets',
  columns: ticketColumns,
  children: [ticketLinksTable],
  initialState: Support.initialTicketState,
  toRow: (s) => {
    // An absent aggregate is never saved: saving needs events, and every event makes it present.
    if (s.status === 'absent') throw new TypeError('ticketsTable.toRow: an absent ticket has no row');
    return {
      state: s.status,
      lifecycle_owner: s.owner,
      customer_id: s.customerId,
      site_id: s.siteId,
      project_id: s.projectId,
      subject: s.subject,
      priority: s.priority,
      ticket_kind: s.kind,
      sold_minutes: s.soldMinutes,
      sla_mode: s.sla.mode,
      sla_opt_out_reason: s.sla.mode === 'opt_out' ? s.sla.reason : null,
      parent_ticket_id: s.parentTicketId,
      root_ticket_id: s.rootTicketId,
      is_rollup: s.isRollup,
      split_children: s.children,
      assignment_mode: s.assignmentMode,
      preferred_assignee_id: s.preferredAssigneeId,
      assigned_team_id: s.assignedTeamId,
      assigned_employee_id: s.assignedEmployeeId,
      links: s.links,
      opened_at: s.openedAt,
      responded_at: s.respondedAt,
      resolved_at: s.resolvedAt,
      closed_at: s.closedAt,
      created_at: s.createdAt,
      archived_at: s.archivedAt,
    };
  },
  fromRow: (r, id) => ({
    ticketId: id as Support.TicketId,
    owner: r.lifecycle_owner as Support.TicketOwner,
    status: r.state as Support.TicketStatus,
    customerId: r.customer_id as Support.CustomerId | null,
    siteId: r.site_id as Support.SiteId | null,
    projectId: r.project_id as Support.ProjectId | null,
    subject: r.subject,
    priority: r.priority as Support.TicketPriority,
    kind: r.ticket_kind as Support.TicketKind,
    soldMinutes: r.sold_minutes,
    sla:
      r.sla_mode === 'opt_out'
        ? { mode: 'opt_out', reason: r.sla_opt_out_reason ?? '' }
        : { mode: 'inherit' },
    parentTicketId: r.parent_ticket_id as Support.TicketId | null,
    rootTicketId: r.root_ticket_id as Support.TicketId,
    isRollup: r.is_rollup,
    children: r.split_children as Support.SplitChild[],
    assignmentMode: r.assignment_mode as Support.AssignmentMode | null,
    preferredAssigneeId: r.preferred_assignee_id as Identity.EmployeeId | null,
    assignedTeamId: r.assigned_team_id as Identity.TeamId | null,
    assignedEmployeeId: r.assigned_employee_id as Identity.EmployeeId | null,
    links: r.links as Support.TicketDetails['links'],
    createdAt: r.created_at as Instant,
    openedAt: r.opened_at as Instant | null,
    respondedAt: r.responded_at as Instant | null,
    resolvedAt: r.resolved_at as Instant | null,
    closedAt: r.closed_at as Instant | null,
    archivedAt: r.archived_at as Instant | null,
  }),
});

// ---------------------------------------------------------------------------------------------------
// sla_definitions
// ---------------------------------------------------------------------------------------------------

const slaDefinitionColumns = {
  state: { type: 'enum' },
  name: { type: 'text' },
  version_number: { type: 'int' },
  tier: { type: 'enum' },
  response_target_minutes: { type: 'minutes' },
  resolution_target_minutes: { type: 'minutes' },
  warning_threshold_bp: { type: 'basisPoints' },
  calendar_id: { type: 'id', nullable: true },
  escalation_rules: { type: 'json' },
  published_at: { type: 'instant', nullable: true },
  archived_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `sla_definition` aggregate's state table, `<prefix>sla_definitions`: one row per SLA version
 * (UNIQUE(name, version_number)), its escalation rules a JSON array of the row.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(slaDefinitionsTable)).load(slaDefinitionId));
 * ```
 */
export const slaDefinitionsTable: StateTable<Support.SlaDefinitionState, typeof slaDefinitionColumns> =
  defineStateTable({
    streamType: Support.SLA_DEFINITION_STREAM_TYPE,
    table: 'sla_definitions',
    columns: slaDefinitionColumns,
    initialState: Support.initialSlaDefinitionState,
    toRow: (s) => {
      if (s.status === 'absent') throw new TypeError('slaDefinitionsTable.toRow: an absent SLA has no row');
      const t = s.terms;
      return {
        state: s.status,
        name: t.name,
        version_number: s.versionNumber,
        tier: t.tier,
        response_target_minutes: t.responseTargetMinutes,
        resolution_target_minutes: t.resolutionTargetMinutes,
        warning_threshold_bp: t.warningThresholdBp,
        calendar_id: t.calendarId,
        escalation_rules: t.escalationRules,
        published_at: s.publishedAt,
        archived_at: s.archivedAt,
      };
    },
    fromRow: (r, id) => ({
      status: r.state as Support.SlaDefinitionStatus,
      slaDefinitionId: id as Support.SlaDefinitionId,
      versionNumber: r.version_number,
      terms: {
        name: r.name,
        tier: r.tier as Support.SlaTier,
        responseTargetMinutes: r.response_target_minutes,
        resolutionTargetMinutes: r.resolution_target_minutes,
        warningThresholdBp: r.warning_threshold_bp,
        calendarId: r.calendar_id as Calendar.CalendarId | null,
        escalationRules: r.escalation_rules as Support.EscalationRule[],
      },
      publishedAt: r.published_at as Instant | null,
      archivedAt: r.archived_at as Instant | null,
    }),
  });

// ---------------------------------------------------------------------------------------------------
// sla_assignments + sla_events
// ---------------------------------------------------------------------------------------------------

const slaEventColumns = {
  id: { type: 'id' },
  sla_assignment_id: { type: 'id' },
  ticket_id: { type: 'id' },
  kind: { type: 'enum' },
  target_kind: { type: 'enum' },
  threshold_bp: { type: 'basisPoints', nullable: true },
  stage: { type: 'smallint', nullable: true },
  sla_version_number: { type: 'int' },
  elapsed_business_minutes: { type: 'minutes' },
  target_minutes: { type: 'minutes' },
  due_at: { type: 'instant', nullable: true },
  occurred_at: { type: 'instant' },
  domain_event_id: { type: 'id' },
} as const;

/** The `sla_events.kind` of each clock event type (bind, opt-out and unbind add no row). */
const SLA_EVENT_KINDS: Readonly<Record<string, string>> = {
  'sla.warning': 'warning',
  'sla.breached': 'breach',
  'sla.escalated': 'escalation',
  'sla.paused': 'paused',
  'sla.resumed': 'resumed',
  'sla.responded': 'responded',
  'sla.resolved': 'resolved',
};

/**
 * `<prefix>sla_events`: one append-only row per clock event of an assignment, written with the
 * assignment's row. `stage` is 0 for a warning or breach, the stage for an escalation and NULL for the
 * repeatable kinds, so UNIQUE(sla_assignment_id, kind, target_kind, stage) refuses a second threshold.
 *
 * @example
 * ```ts
 * slaEventsTable.rowsOf(breachedDraft, assignmentId); // [{ kind: 'breach', stage: 0, … }]
 * ```
 */
export const slaEventsTable: ChildTable<typeof slaEventColumns> = defineChildTable({
  table: 'sla_events',
  columns: slaEventColumns,
  rowsOf: (e: EventDraft, assignmentId: string) => {
    const kind = SLA_EVENT_KINDS[e.type];
    if (kind === undefined) return [];
    const p = e.payload as Support.SlaClockPayload & { thresholdBp?: number; stage?: number };
    const threshold = kind === 'warning' || kind === 'breach' || kind === 'escalation';
    return [
      {
        id: e.eventId,
        sla_assignment_id: assignmentId,
        ticket_id: p.ticketId,
        kind,
        target_kind: p.targetKind,
        threshold_bp: threshold ? (p.thresholdBp ?? null) : null,
        stage: kind === 'escalation' ? (p.stage ?? null) : threshold ? 0 : null,
        sla_version_number: p.slaVersionNumber,
        elapsed_business_minutes: p.elapsedBusinessMinutes,
        target_minutes: p.targetMinutes,
        due_at: p.dueAt,
        occurred_at: p.at,
        domain_event_id: e.eventId,
      },
    ];
  },
});

const slaAssignmentColumns = {
  state: { type: 'enum' },
  ticket_id: { type: 'id' },
  active_ticket_id: { type: 'id', nullable: true },
  contract_id: { type: 'id', nullable: true },
  source: { type: 'enum' },
  opt_out_reason: { type: 'text', nullable: true },
  sla_definition_id: { type: 'id', nullable: true },
  sla_version_number: { type: 'int', nullable: true },
  sla_name: { type: 'text', nullable: true },
  response_target_minutes: { type: 'minutes', nullable: true },
  resolution_target_minutes: { type: 'minutes', nullable: true },
  warning_threshold_bp: { type: 'basisPoints', nullable: true },
  escalation_thresholds_bp: { type: 'json', nullable: true },
  calendar_snapshot_json: { type: 'json', nullable: true },
  started_at: { type: 'instant', nullable: true },
  bound_at: { type: 'instant', nullable: true },
  running_since: { type: 'instant', nullable: true },
  response_elapsed_before: { type: 'minutes', nullable: true },
  response_stopped_at: { type: 'instant', nullable: true },
  response_warned: { type: 'bool', nullable: true },
  response_breached: { type: 'bool', nullable: true },
  resolution_elapsed_before: { type: 'minutes', nullable: true },
  resolution_stopped_at: { type: 'instant', nullable: true },
  resolution_warned: { type: 'bool', nullable: true },
  resolution_breached: { type: 'bool', nullable: true },
  escalation_stage: { type: 'smallint' },
  is_active: { type: 'bool' },
  last_change_at: { type: 'instant', nullable: true },
  clock_state: { type: 'enum', nullable: true },
  response_due_at: { type: 'instant', nullable: true },
  resolution_due_at: { type: 'instant', nullable: true },
  warning_at: { type: 'instant', nullable: true },
  breach_at: { type: 'instant', nullable: true },
  next_check_at: { type: 'instant', nullable: true },
} as const;

const earliest = (a: Instant | null, b: Instant | null): Instant | null =>
  a === null ? b : b === null ? a : a < b ? a : b;

/** The columns of an opted-out row that only a binding fills. */
const UNBOUND = {
  contract_id: null,
  sla_definition_id: null,
  sla_version_number: null,
  sla_name: null,
  response_target_minutes: null,
  resolution_target_minutes: null,
  warning_threshold_bp: null,
  escalation_thresholds_bp: null,
  calendar_snapshot_json: null,
  started_at: null,
  bound_at: null,
  running_since: null,
  response_elapsed_before: null,
  response_stopped_at: null,
  response_warned: null,
  response_breached: null,
  resolution_elapsed_before: null,
  resolution_stopped_at: null,
  resolution_warned: null,
  resolution_breached: null,
  escalation_stage: 0,
  last_change_at: null,
  clock_state: null,
  response_due_at: null,
  resolution_due_at: null,
  warning_at: null,
  breach_at: null,
  next_check_at: null,
} as const;

/**
 * The `sla_assignment` aggregate's state table, `<prefix>sla_assignments` (binding + clock), with its
 * append-only `sla_events`. Besides the clock's fold, each save writes the clock view's columns
 * (`clock_state`, due, warning and breach instants, `next_check_at` for the evaluator); they depend on
 * the state only, never on when the row was saved.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(slaAssignmentsTable)).load(assignmentId));
 * ```
 */
export const slaAssignmentsTable: StateTable<Support.SlaAssignmentState, typeof slaAssignmentColumns> =
  defineStateTable({
    streamType: Support.SLA_ASSIGNMENT_STREAM_TYPE,
    table: 'sla_assignments',
    columns: slaAssignmentColumns,
    children: [slaEventsTable],
    initialState: Support.initialSlaAssignmentState,
    toRow: (s) => {
      if (s.status === 'absent') {
        throw new TypeError('slaAssignmentsTable.toRow: an absent assignment has no row');
      }
      if (s.status === 'opted_out') {
        return {
          ...UNBOUND,
          state: 'opted_out',
          ticket_id: s.ticketId,
          active_ticket_id: s.ticketId,
          source: 'opt_out',
          opt_out_reason: s.reason,
          is_active: true,
        };
      }
      // The view's instants come from the state alone (the `now` only moves the elapsed minutes).
      const view = Support.slaClockView(s, s.lastChangeAt);
      return {
        state: 'bound',
        ticket_id: s.ticketId,
        active_ticket_id: s.active ? s.ticketId : null,
        contract_id: s.contractId,
        source: s.source,
        opt_out_reason: null,
        sla_definition_id: s.slaDefinitionId,
        sla_version_number: s.slaVersionNumber,
        sla_name: s.slaName,
        response_target_minutes: s.response.targetMinutes,
        resolution_target_minutes: s.resolution.targetMinutes,
        warning_threshold_bp: s.warningThresholdBp,
        escalation_thresholds_bp: s.escalationThresholdsBp,
        calendar_snapshot_json: s.calendar,
        started_at: s.startedAt,
        bound_at: s.boundAt,
        running_since: s.runningSince,
        response_elapsed_before: s.response.elapsedBefore,
        response_stopped_at: s.response.stoppedAt,
        response_warned: s.response.warned,
        response_breached: s.response.breached,
        resolution_elapsed_before: s.resolution.elapsedBefore,
        resolution_stopped_at: s.resolution.stoppedAt,
        resolution_warned: s.resolution.warned,
        resolution_breached: s.resolution.breached,
        escalation_stage: s.escalationStage,
        is_active: s.active,
        last_change_at: s.lastChangeAt,
        clock_state: view.clockState,
        response_due_at: view.response.dueAt,
        resolution_due_at: view.resolution.dueAt,
        warning_at: earliest(view.response.warningAt, view.resolution.warningAt),
        breach_at: earliest(view.response.dueAt, view.resolution.dueAt),
        next_check_at: view.nextCheckAt,
      };
    },
    fromRow: (r, id): Support.SlaAssignmentState => {
      const assignmentId = id as Support.SlaAssignmentId;
      const ticketId = r.ticket_id as Support.TicketId;
      if (r.state === 'opted_out') {
        return { status: 'opted_out', assignmentId, ticketId, reason: r.opt_out_reason ?? '' };
      }
      const target = (
        targetMinutes: number | null,
        elapsedBefore: number | null,
        stoppedAt: string | null,
        warned: boolean | null,
        breached: boolean | null,
      ): Support.TargetClock => ({
        targetMinutes: targetMinutes ?? 0,
        elapsedBefore: elapsedBefore ?? 0,
        stoppedAt: stoppedAt as Instant | null,
        warned: warned === true,
        breached: breached === true,
      });
      return {
        status: 'bound',
        assignmentId,
        ticketId,
        contractId: r.contract_id as Support.ContractId | null,
        source: r.source as Support.SlaBindingSource,
        slaDefinitionId: r.sla_definition_id as Support.SlaDefinitionId,
        slaVersionNumber: r.sla_version_number ?? 0,
        slaName: r.sla_name ?? '',
        warningThresholdBp: r.warning_threshold_bp ?? 0,
        escalationThresholdsBp: (r.escalation_thresholds_bp ?? []) as number[],
        calendar: r.calendar_snapshot_json as Calendar.BusinessCalendar,
        startedAt: r.started_at as Instant,
        boundAt: r.bound_at as Instant,
        runningSince: r.running_since as Instant | null,
        response: target(
          r.response_target_minutes,
          r.response_elapsed_before,
          r.response_stopped_at,
          r.response_warned,
          r.response_breached,
        ),
        resolution: target(
          r.resolution_target_minutes,
          r.resolution_elapsed_before,
          r.resolution_stopped_at,
          r.resolution_warned,
          r.resolution_breached,
        ),
        escalationStage: r.escalation_stage,
        active: r.is_active,
        lastChangeAt: r.last_change_at as Instant,
      };
    },
  });

/**
 * The support context's state tables (tickets, SLA definitions, SLA assignments), in `STATE_TABLES`.
 *
 * @example
 * ```ts
 * createUnitOfWork({ dialect, prefix, events, tables: SUPPORT_TABLES });
 * ```
 */
export const SUPPORT_TABLES: readonly [
  typeof ticketsTable,
  typeof slaDefinitionsTable,
  typeof slaAssignmentsTable,
] = [ticketsTable, slaDefinitionsTable, slaAssignmentsTable];
