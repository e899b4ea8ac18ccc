/**
 * `@pet-ops/core`: PET's pure domain kernel — ids, money, instants, results and rejections, the event
 * envelope and registry, deciders, ports and the command handler. No I/O, no clock, no randomness.
 *
 * @packageDocumentation
 * @module @pet-ops/core
 */

/**
 * Business calendars: IANA zone, weekly working windows, holidays; business minutes across DST.
 *
 * @example
 * ```ts
 * const cal = parseBusinessCalendar({
 *   calendarId: uuidV7Ids.next(),
 *   version: 1,
 *   timeZone: 'Europe/Berlin',
 *   windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })),
 *   holidays: ['2026-12-25'],
 * });
 * // The SLA due time of a ticket opened on a Friday afternoon: 4 business hours later.
 * const due = addBusinessMinutes(cal, parseInstant('2026-03-27T15:00:00.000000Z'), 240);
 * ```
 */
export * as Calendar from './calendar/index.js';
/**
 * Commercial context: malleable lead schemas, leads, qualifications, opportunities, quotes, sales; accepting a quote creates the sale (and, with the delivery step, the project) in one transaction.
 *
 * @example
 * ```ts
 * // Once per host: a database, its event store, one unit of work over every table, one registry.
 * const { db, dialect } = openSqlite({ path: 'pet.db' }); // or mysqlDialect / openPostgres
 * await migrate(db, dialect, { prefix: 'pet_' });
 * const events = createEventStore({ db, dialect, prefix: 'pet_' });
 * const unitOfWork = createUnitOfWork({ dialect, prefix: 'pet_', events, tables: STATE_TABLES });
 * const runtime = { unitOfWork, registry: createPetRegistry(), clock: systemClock, ids: uuidV7Ids };
 * const metadata = { actor: { type: 'employee', id: managerId } } as const;
 * const quoting = createQuoting({
 *   runtime,
 *   acceptanceSteps: [markOpportunityWon, deliveryOnAcceptance({ ids: runtime.ids })],
 * });
 * const quoteId = Commercial.newQuoteId(runtime.ids);
 * await quoting.open({ quoteId, opportunityId, customerId, currency: 'EUR', title: 'Relaunch' }, metadata);
 * // … add_group, add_line, define_payment_schedule, send (quoting.handle({ quoteId, command }, metadata))
 * const sale = await quoting.accept(
 *   { quoteId, saleId: Commercial.newSaleId(runtime.ids), version: 1, acceptedBy: contactId, acceptedAt: systemClock.now() },
 *   metadata,
 * );
 * ```
 */
export * as Commercial from './commercial/index.js';
/**
 * CRM context: companies with their CEO/CFO/HR slots, people, CSV intake.
 *
 * @example
 * ```ts
 * // Once per host: a database, its event store, one unit of work over every table, one registry.
 * const { db, dialect } = openSqlite({ path: 'pet.db' }); // or mysqlDialect / openPostgres
 * await migrate(db, dialect, { prefix: 'pet_' });
 * const events = createEventStore({ db, dialect, prefix: 'pet_' });
 * const unitOfWork = createUnitOfWork({ dialect, prefix: 'pet_', events, tables: STATE_TABLES });
 * const runtime = { unitOfWork, registry: createPetRegistry(), clock: systemClock, ids: uuidV7Ids };
 * const metadata = { actor: { type: 'employee', id: managerId } } as const;
 * const crm = createCrmCommands({ runtime });
 * const company = await crm.insertCompanyWithSlots({ name: 'Acme GmbH', website: 'https://acme.example' }, metadata);
 * if (!company.ok) console.log(company.error.code); // e.g. MISSING_KEY: a website or an external id is needed
 * ```
 */
export * as Crm from './crm/index.js';
/**
 * Delivery context: projects held to what was sold — sold constraints (versioned baselines), milestones, tasks, variances, change orders.
 *
 * @example
 * ```ts
 * // Once per host: a database, its event store, one unit of work over every table, one registry.
 * const { db, dialect } = openSqlite({ path: 'pet.db' }); // or mysqlDialect / openPostgres
 * await migrate(db, dialect, { prefix: 'pet_' });
 * const events = createEventStore({ db, dialect, prefix: 'pet_' });
 * const unitOfWork = createUnitOfWork({ dialect, prefix: 'pet_', events, tables: STATE_TABLES });
 * const runtime = { unitOfWork, registry: createPetRegistry(), clock: systemClock, ids: uuidV7Ids };
 * const metadata = { actor: { type: 'employee', id: managerId } } as const;
 * const projectId = Delivery.newProjectId(runtime.ids);
 * const command = Delivery.projectCommandSchema.parse({
 *   type: 'create', projectId, kind: 'internal', name: 'Intranet', customerId: null,
 *   soldConstraintsApply: false, at: systemClock.now(),
 * });
 * const r = await createCommandHandler(runtime, deliveryBindings.project)({ streamId: projectId, command, metadata });
 * // Sold projects come from the acceptance (`deliveryOnAcceptance`), with baseline v1 and their tasks.
 * ```
 */
export * as Delivery from './delivery/index.js';
/**
 * Identity context: employees, teams, memberships, org-structure versions (history is read as of the version valid at each event's time).
 *
 * @example
 * ```ts
 * // Once per host: a database, its event store, one unit of work over every table, one registry.
 * const { db, dialect } = openSqlite({ path: 'pet.db' }); // or mysqlDialect / openPostgres
 * await migrate(db, dialect, { prefix: 'pet_' });
 * const events = createEventStore({ db, dialect, prefix: 'pet_' });
 * const unitOfWork = createUnitOfWork({ dialect, prefix: 'pet_', events, tables: STATE_TABLES });
 * const runtime = { unitOfWork, registry: createPetRegistry(), clock: systemClock, ids: uuidV7Ids };
 * const metadata = { actor: { type: 'employee', id: managerId } } as const;
 * const employeeId = Identity.newEmployeeId(runtime.ids);
 * const command = Identity.employeeCommandSchema.parse({
 *   type: 'create', employeeId, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', hireDate: '2026-01-05',
 * });
 * const hire = createCommandHandler(runtime, identityBindings.employee);
 * await hire({ streamId: employeeId, command, loadFacts: identityBindings.employeeFacts(command), metadata });
 * ```
 */
export * as Identity from './identity/index.js';
export * from './kernel/index.js';
/**
 * Knowledge context: articles with immutable versions, additive comments, links to tickets, projects, tasks and customers.
 *
 * @example
 * ```ts
 * // Once per host: a database, its event store, one unit of work over every table, one registry.
 * const { db, dialect } = openSqlite({ path: 'pet.db' }); // or mysqlDialect / openPostgres
 * await migrate(db, dialect, { prefix: 'pet_' });
 * const events = createEventStore({ db, dialect, prefix: 'pet_' });
 * const unitOfWork = createUnitOfWork({ dialect, prefix: 'pet_', events, tables: STATE_TABLES });
 * const runtime = { unitOfWork, registry: createPetRegistry(), clock: systemClock, ids: uuidV7Ids };
 * const metadata = { actor: { type: 'employee', id: managerId } } as const;
 * const articleId = Knowledge.newArticleId(runtime.ids);
 * const command = Knowledge.articleCommandSchema.parse({
 *   type: 'create', articleId, versionId: Knowledge.newArticleVersionId(runtime.ids),
 *   title: 'Resetting a password', content: 'Open Settings → Security …', authorEmployeeId, at: systemClock.now(),
 * });
 * await createCommandHandler(runtime, knowledgeBindings.article)({ streamId: articleId, command, metadata });
 * ```
 */
export * as Knowledge from './knowledge/index.js';
export { createPetRegistry, type PetRegistryOptions, petEventDefinitions } from './registry.js';
/**
 * Support context: tickets, versioned SLA definitions, assignments with business-hours clocks, SLA events fired exactly once.
 *
 * @example
 * ```ts
 * // Once per host: a database, its event store, one unit of work over every table, one registry.
 * const { db, dialect } = openSqlite({ path: 'pet.db' }); // or mysqlDialect / openPostgres
 * await migrate(db, dialect, { prefix: 'pet_' });
 * const events = createEventStore({ db, dialect, prefix: 'pet_' });
 * const unitOfWork = createUnitOfWork({ dialect, prefix: 'pet_', events, tables: STATE_TABLES });
 * const runtime = { unitOfWork, registry: createPetRegistry(), clock: systemClock, ids: uuidV7Ids };
 * const metadata = { actor: { type: 'employee', id: managerId } } as const;
 * const ticketId = Support.newTicketId(runtime.ids);
 * const command = Support.ticketCommandSchema.parse({
 *   type: 'create', ticketId, owner: 'support', customerId, subject: 'VPN down', kind: 'incident', at: systemClock.now(),
 * });
 * await createCommandHandler(runtime, supportBindings.ticket)({ streamId: ticketId, command, metadata });
 * // A scheduler (cron, several hosts at once) fires every due warning, breach and escalation once:
 * await evaluateDue({ db, dialect, prefix: 'pet_', events, now: systemClock.now() });
 * ```
 */
export * as Support from './support/index.js';
/**
 * Time context: attested time entries corrected only by adjustments, resource allocations, capacity.
 *
 * @example
 * ```ts
 * // Once per host: a database, its event store, one unit of work over every table, one registry.
 * const { db, dialect } = openSqlite({ path: 'pet.db' }); // or mysqlDialect / openPostgres
 * await migrate(db, dialect, { prefix: 'pet_' });
 * const events = createEventStore({ db, dialect, prefix: 'pet_' });
 * const unitOfWork = createUnitOfWork({ dialect, prefix: 'pet_', events, tables: STATE_TABLES });
 * const runtime = { unitOfWork, registry: createPetRegistry(), clock: systemClock, ids: uuidV7Ids };
 * const metadata = { actor: { type: 'employee', id: managerId } } as const;
 * const timeEntryId = Time.newTimeEntryId(runtime.ids);
 * const command = Time.timeEntryCommandSchema.parse({
 *   type: 'create', timeEntryId, employeeId, start: '2026-03-02T08:00:00.000000Z', end: '2026-03-02T10:30:00.000000Z',
 *   ticketId, at: systemClock.now(),
 * });
 * await createCommandHandler(runtime, timeBindings.timeEntry)({ streamId: timeEntryId, command, metadata });
 * // Submitted time is never edited: a correction is an adjustment (Time.timeEntryAdjustmentCommandSchema).
 * ```
 */
export * as Time from './time/index.js';
