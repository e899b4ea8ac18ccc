/**
 * The commercial context's persistence contract (lead pipeline and quoting, with the acceptance hand-off
 * to delivery), written once and run against every database (not a test file itself: each adapter's
 * commercial runner calls {@link describeCommercialContract}).
 */
import { fc } from '@fast-check/vitest';
import {
  type CommandMetadata,
  type CommandRuntime,
  Commercial,
  type Crm,
  type CurrencyCode,
  createCommandHandler,
  err,
  type Instant,
  type Money,
  reject,
  type UnitOfWork,
  type Uuid,
} from '@pet-ops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allocateQuoteNumber,
  changeLead,
  changeMalleableSchema,
  changeOpportunity,
  changeQualification,
  commercialBindings,
  createQuoting,
  deliveryOnAcceptance,
  markOpportunityWon,
  type QuoteRequest,
  type Quoting,
} from '../contexts/commercial.js';
import { createCrmCommands, crmBindings } from '../contexts/crm.js';
import { type ColumnSpec, decodeColumn } from '../state-table.js';
import {
  countWhere,
  runtimeOn,
  type SeamClient,
  type SeamTarget,
  unitOfWorkOn,
} from './crm-contract.test.js';
import { caught, newId } from './event-store-contract.test.js';

const EUR = 'EUR' as CurrencyCode;
/** The lead aggregate's definition on the seam's table (for loads). */
const commercialLead = () => commercialBindings.lead.definition;
const eur = (amountMinor: number): Money => ({ amountMinor, currency: EUR });
const id = <T>(): T => newId() as string as T;
type Row = Record<string, unknown>;

/** A labour line of `minutes` × `quantity` at 120 €/h sell, 60 €/h cost, under milestone `milestone`. */
function labour(minutes: number, quantity: number, milestone: number): Commercial.QuoteLine {
  return {
    lineId: newId(),
    kind: 'labour_task',
    description: `Work ${minutes}×${quantity}`,
    quantity,
    unitPrice: null,
    unitCost: null,
    minutes,
    catalog: null,
    role: {
      roleId: '019b76da-a800-7000-8000-000000a00001',
      name: 'Developer',
      sellRatePerHour: eur(120_00),
      costRatePerHour: eur(60_00),
      recommendedSellRatePerHour: null,
    },
    milestone: { name: `Milestone ${milestone}`, sequence: milestone },
  };
}

/**
 * Declares the commercial persistence contract tests for one database.
 *
 * @example
 * ```ts
 * describeCommercialContract('sqlite', async () => ({ db, dialect, prefix: 'pet_', client, close }));
 * ```
 */
export function describeCommercialContract(name: string, open: () => Promise<SeamTarget>): void {
  describe(`commercial persistence contract (${name})`, () => {
    let t: SeamTarget;
    let uow: UnitOfWork;
    let runtime: CommandRuntime;
    let quoting: Quoting;
    let customer: Crm.CompanyId;
    const clients: SeamClient[] = [];
    const meta: CommandMetadata = { actor: { type: 'employee', id: newId() } };

    /** Quoting with the opportunity and delivery steps on a client of its own. */
    function quotingOnNewClient(): Quoting {
      const c = t.client();
      clients.push(c);
      const r = runtimeOn(unitOfWorkOn(c, t.prefix), '2026-04-01T10:00:00.000000Z');
      return createQuoting({
        runtime: r,
        acceptanceSteps: [markOpportunityWon, deliveryOnAcceptance({ ids: r.ids })],
      });
    }
    async function rows(
      table: string,
      column: string,
      value: string,
      columns: Readonly<Record<string, ColumnSpec>>,
    ) {
      const codecs = t.dialect.codecs;
      const spec = columns[column] ?? { type: 'id' };
      const raw = (await t.db
        .selectFrom(`${t.prefix}${table}`)
        .selectAll()
        .where(column, '=', spec.type === 'id' ? codecs.encodeId(value) : value)
        .execute()) as Row[];
      return raw.map((r) => {
        const out: Row = { version: Number(r['version']) };
        for (const [c, s] of Object.entries(columns)) out[c] = decodeColumn(codecs, s, r[c]);
        return out;
      });
    }
    const ID: ColumnSpec = { type: 'id' };
    const row = async (table: string, rowId: string, columns: Readonly<Record<string, ColumnSpec>> = {}) =>
      (await rows(table, 'id', rowId, { id: ID, state: { type: 'enum' }, ...columns }))[0];

    async function company(name: string): Promise<Crm.CompanyId> {
      const r = await createCrmCommands({ runtime }).insertCompanyWithSlots(
        { name, website: `${name.toLowerCase().replace(/\W/g, '')}-${newId().slice(-8)}.example` },
        meta,
      );
      if (!r.ok) throw new Error(r.error.code);
      return r.value.companyId;
    }

    async function openLead(): Promise<Commercial.LeadId> {
      const leadId = id<Commercial.LeadId>();
      const r = await changeLead(runtime, meta, {
        leadId,
        command: {
          type: 'create',
          leadId,
          source: 'web',
          subject: 'Relaunch',
          description: null,
          customerId: customer,
          ownerEmployeeId: null,
          teamId: null,
          schemaVersion: null,
          data: {},
        },
      });
      if (!r.ok) throw new Error(r.error.code);
      return leadId;
    }
    async function qualify(
      leadId: Commercial.LeadId,
      outcome: 'qualified' | 'disqualified' = 'qualified',
    ): Promise<Commercial.QualificationId> {
      const qualificationId = id<Commercial.QualificationId>();
      const start = await changeQualification(runtime, meta, {
        qualificationId,
        command: { type: 'start', qualificationId, leadId, schemaVersion: null, data: {} },
      });
      if (!start.ok) throw new Error(start.error.code);
      const done = await changeQualification(runtime, meta, {
        qualificationId,
        command:
          outcome === 'qualified'
            ? { type: 'complete', outcome, opportunityClass: 'gold', reason: null }
            : { type: 'complete', outcome, opportunityClass: null, reason: 'No budget' },
      });
      if (!done.ok) throw new Error(done.error.code);
      return qualificationId;
    }
    const createOpportunity = (
      opportunityId: Commercial.OpportunityId,
      leadId: Commercial.LeadId,
      customerId: Crm.CompanyId,
    ): Extract<Commercial.OpportunityCommand, { type: 'create' }> => ({
      type: 'create',
      opportunityId,
      leadId,
      customerId,
      probabilityBp: 4000 as Commercial.OpportunityDetails['probabilityBp'],
      estimatedValue: eur(6_000_00) as Commercial.OpportunityDetails['estimatedValue'],
      ownerEmployeeId: null,
      teamId: null,
    });
    async function openOpportunity(): Promise<Commercial.OpportunityId> {
      const leadId = await openLead();
      await qualify(leadId);
      const opportunityId = id<Commercial.OpportunityId>();
      const r = await changeOpportunity(runtime, meta, {
        opportunityId,
        command: createOpportunity(opportunityId, leadId, customer),
      });
      if (!r.ok) throw new Error(r.error.code);
      return opportunityId;
    }

    /** A sent quote (version 1) of `lines` in one implementation group, settled by one payment at acceptance. */
    async function sentQuote(
      lines: readonly Commercial.QuoteLine[] = [labour(600, 1, 1), labour(120, 2, 2)],
      on: Quoting = quoting,
      parentQuoteId: Commercial.QuoteId | null = null,
    ): Promise<{ quoteId: Commercial.QuoteId; opportunityId: Commercial.OpportunityId }> {
      const opportunityId = await openOpportunity();
      const quoteId = id<Commercial.QuoteId>();
      const opened = await on.open(
        {
          quoteId,
          opportunityId,
          customerId: customer,
          currency: 'EUR',
          title: 'Relaunch',
          validUntil: '2099-12-31',
          parentQuoteId,
        },
        meta,
      );
      if (!opened.ok) throw new Error(opened.error.code);
      const groupId = newId();
      const commands: QuoteRequest['command'][] = [
        { type: 'add_group', groupId, kind: 'implementation', title: 'Build', recurring: null },
        ...lines.map((line) => ({ type: 'add_line' as const, groupId, line })),
      ];
      let state: Commercial.QuoteState = opened.value.state;
      for (const command of commands) {
        const r = await on.handle({ quoteId, command }, meta);
        if (!r.ok) throw new Error(r.error.code);
        state = r.value.state;
      }
      if (state.status === 'absent') throw new Error('no quote');
      const total = Commercial.versionTotals(Commercial.currentVersion(state).groups, 'EUR').sell;
      for (const command of [
        {
          type: 'define_payment_schedule' as const,
          items: [{ itemId: newId(), title: 'All', amount: total, dueDate: null }],
        },
        { type: 'send' as const },
      ]) {
        const r = await on.handle({ quoteId, command }, meta);
        if (!r.ok) throw new Error(r.error.code);
      }
      return { quoteId, opportunityId };
    }
    const acceptInput = (quoteId: Commercial.QuoteId) => ({
      quoteId,
      saleId: id<Commercial.SaleId>(),
      version: 1,
      acceptedBy: newId(),
      acceptedAt: '2026-04-02T09:00:00.000000Z' as Instant,
    });
    const projectsOf = (quoteId: string) =>
      rows('projects', 'source_quote_id', quoteId, {
        id: ID,
        source_quote_id: ID,
        sale_id: ID,
        customer_id: ID,
        sold_minutes: { type: 'minutes', nullable: true },
        sold_value: { type: 'money', nullable: true },
      });
    const salesOf = (quoteId: string) =>
      rows('sales', 'quote_id', quoteId, {
        id: ID,
        quote_id: ID,
        sold_minutes: { type: 'minutes' },
        sold_value: { type: 'money' },
      });

    beforeAll(async () => {
      t = await open();
      uow = unitOfWorkOn(t, t.prefix);
      runtime = runtimeOn(uow, '2026-04-01T10:00:00.000000Z');
      quoting = createQuoting({
        runtime,
        acceptanceSteps: [markOpportunityWon, deliveryOnAcceptance({ ids: runtime.ids })],
      });
      customer = await company('Acme');
    });
    afterAll(async () => {
      for (const c of clients) await c.close();
      await t?.close();
    });

    describe('lead pipeline', () => {
      it('given a published schema, when a lead is created with valid data, then its row holds the data; invalid data is LEAD_DATA_INVALID and nothing is written', async () => {
        const schemaId = id<Commercial.MalleableSchemaId>();
        const fields: Commercial.MalleableField[] = [
          { key: 'budget', label: 'Budget', type: 'money', required: true, currency: EUR },
        ];
        const draft = await changeMalleableSchema(runtime, meta, {
          schemaId,
          command: { type: 'create_draft', schemaId, entityType: Commercial.LEAD_ENTITY_TYPE, fields },
        });
        expect(draft.ok).toBe(true);
        const published = await changeMalleableSchema(runtime, meta, {
          schemaId,
          command: { type: 'publish', at: '2026-04-01T10:00:00.000000Z' as Instant },
        });
        expect(published.ok).toBe(true);
        expect(
          await row('malleable_schemas', schemaId, {
            active_version: { type: 'int', nullable: true },
            draft_version: { type: 'int', nullable: true },
          }),
        ).toMatchObject({ active_version: 1, draft_version: null, version: 2 });
        const create = (
          leadId: Commercial.LeadId,
          data: Record<string, unknown>,
        ): Commercial.LeadCommand => ({
          type: 'create',
          leadId,
          source: 'web',
          subject: 'ERP',
          description: 'A long story',
          customerId: customer,
          ownerEmployeeId: null,
          teamId: null,
          schemaVersion: 1,
          data,
        });
        const leadId = id<Commercial.LeadId>();
        const ok = await changeLead(runtime, meta, {
          leadId,
          schemaId,
          command: create(leadId, { budget: eur(5_000_00) }),
        });
        expect(ok.ok ? 'ok' : ok.error.code).toBe('ok');
        expect(
          await row('leads', leadId, {
            malleable_data: { type: 'json' },
            customer_id: { type: 'id', nullable: true },
          }),
        ).toMatchObject({
          state: 'created',
          malleable_data: { budget: eur(5_000_00) },
          customer_id: customer,
          version: 1,
        });
        const bad = id<Commercial.LeadId>();
        const refused = await changeLead(runtime, meta, {
          leadId: bad,
          schemaId,
          command: create(bad, { budget: { amountMinor: 1, currency: 'USD' } }),
        });
        expect(refused.ok ? null : refused.error.code).toBe('LEAD_DATA_INVALID');
        expect(await row('leads', bad)).toBeUndefined();
        const mismatch = await caught(
          changeLead(runtime, meta, { leadId: id<Commercial.LeadId>(), schemaId, command: create(bad, {}) }),
        );
        expect(mismatch).toMatchObject({ code: 'VALIDATION_FAILED' });
        const shapeless = await caught(changeLead(runtime, meta, { leadId: 'nope', command: null } as never));
        expect(shapeless.code).toBe('VALIDATION_FAILED');
      });

      it('given a qualification, when completed as qualified, then the lead is qualified in the same unit; disqualified, then the lead is archived too', async () => {
        const a = await openLead();
        const qa = await qualify(a);
        expect(await row('qualifications', qa)).toMatchObject({ state: 'completed' });
        expect(await row('leads', a)).toMatchObject({ state: 'qualified' });
        const b = await openLead();
        await qualify(b, 'disqualified');
        expect(await row('leads', b)).toMatchObject({ state: 'archived' });
      });

      it('given two qualifications of one lead, when the second completes after the first decided the lead, then LEAD_ALREADY_DECIDED and nothing of the second is written', async () => {
        const leadId = await openLead();
        const [q1, q2] = [id<Commercial.QualificationId>(), id<Commercial.QualificationId>()];
        for (const q of [q1, q2]) {
          const r = await changeQualification(runtime, meta, {
            qualificationId: q,
            command: { type: 'start', qualificationId: q, leadId, schemaVersion: null, data: {} },
          });
          expect(r.ok).toBe(true);
        }
        const complete = (q: Commercial.QualificationId) =>
          changeQualification(runtime, meta, {
            qualificationId: q,
            command: { type: 'complete', outcome: 'qualified', opportunityClass: 'silver', reason: null },
          });
        expect((await complete(q1)).ok).toBe(true);
        const second = await complete(q2);
        expect(second.ok ? null : second.error.code).toBe('LEAD_ALREADY_DECIDED');
        expect(await row('qualifications', q2)).toMatchObject({ state: 'started', version: 1 });
      });

      it('given an opportunity, when created, then it needs a qualified lead and an active customer and inherits the class; the codes name each refusal', async () => {
        const open = await openLead();
        const o1 = id<Commercial.OpportunityId>();
        const notQualified = await changeOpportunity(runtime, meta, {
          opportunityId: o1,
          command: createOpportunity(o1, open, customer),
        });
        expect(notQualified.ok ? null : notQualified.error.code).toBe('OPPORTUNITY_LEAD_NOT_QUALIFIED');
        const lead = await openLead();
        await qualify(lead);
        const o2 = id<Commercial.OpportunityId>();
        const noCustomer = await changeOpportunity(runtime, meta, {
          opportunityId: o2,
          command: createOpportunity(o2, lead, id<Crm.CompanyId>()),
        });
        expect(noCustomer.ok ? null : noCustomer.error.code).toBe('OPPORTUNITY_CUSTOMER_NOT_FOUND');
        const created = await changeOpportunity(runtime, meta, {
          opportunityId: o2,
          command: createOpportunity(o2, lead, customer),
        });
        expect(
          created.ok && !created.value.duplicate ? created.value.events[0]?.context : null,
        ).toMatchObject({
          customerId: customer,
        });
        expect(
          await row('opportunities', o2, {
            opportunity_class: { type: 'enum' },
            estimated_value_minor: { type: 'money' },
            stage: { type: 'enum' },
          }),
        ).toMatchObject({ opportunity_class: 'gold', estimated_value_minor: 6_000_00, stage: 'open' });
        const advanced = await changeOpportunity(runtime, meta, {
          opportunityId: o2,
          command: { type: 'advance', to: 'proposal' },
        });
        expect(advanced.ok).toBe(true);
      });
    });

    describe("the spec's columns (issue 22)", () => {
      const INSTANT: ColumnSpec = { type: 'instant', nullable: true };
      const stateOf = <S>(r: { ok: boolean; value?: unknown }): S => {
        const v = (r as { ok: true; value: { duplicate: boolean; value: { state: S } } }).value;
        if (!r.ok || v.duplicate) throw new Error('expected a decided command');
        return v.value.state;
      };

      it('given an employee actor, when a lead is created with an estimated value and later re-valued, then the row holds the value in minor units, its currency, the author and updated_at', async () => {
        const leadId = id<Commercial.LeadId>();
        const created = await changeLead(runtime, meta, {
          leadId,
          command: {
            type: 'create',
            leadId,
            source: 'web',
            subject: 'Valued',
            description: null,
            customerId: null,
            ownerEmployeeId: null,
            teamId: null,
            schemaVersion: null,
            data: {},
            estimatedValue: eur(25_000_00),
          },
        });
        const first = stateOf<Commercial.LeadDetails>(created);
        const columns = {
          estimated_value: { type: 'money', nullable: true },
          estimated_value_currency: { type: 'text', nullable: true },
          created_by_employee_id: { type: 'id', nullable: true },
          updated_at: INSTANT,
          converted_at: INSTANT,
          archived_at: INSTANT,
        } as const;
        expect(first.updatedAt).not.toBeNull();
        expect(await row('leads', leadId, columns)).toMatchObject({
          state: 'created',
          estimated_value: 25_000_00,
          estimated_value_currency: 'EUR',
          created_by_employee_id: meta.actor.id,
          updated_at: first.updatedAt,
          converted_at: null,
          archived_at: null,
        });
        const revalued = await changeLead(runtime, meta, {
          leadId,
          command: { type: 'update', changes: { estimatedValue: eur(30_000_00) } },
        });
        const second = stateOf<Commercial.LeadDetails>(revalued);
        expect(second.updatedAt).not.toBe(first.updatedAt);
        expect(await row('leads', leadId, columns)).toMatchObject({
          estimated_value: 30_000_00,
          updated_at: second.updatedAt,
          version: 2,
        });
        const loaded = await uow.run((scope) =>
          scope.aggregate(commercialLead()).load(leadId as string as Uuid),
        );
        expect(loaded.state).toEqual(second);
      });

      it('given a qualified lead, when its first opportunity is created, then in the same unit the lead is converted (converted_at); a second opportunity leaves it; archiving sets archived_at', async () => {
        const leadId = await openLead();
        const qualificationId = await qualify(leadId);
        const q = await row('qualifications', qualificationId, {
          started_at: INSTANT,
          completed_at: INSTANT,
        });
        expect(q?.['started_at']).toEqual(expect.any(String));
        expect(q?.['completed_at']).toEqual(expect.any(String));
        expect(String(q?.['completed_at']) > String(q?.['started_at'])).toBe(true);
        const refused = id<Commercial.OpportunityId>();
        const noCustomer = await changeOpportunity(runtime, meta, {
          opportunityId: refused,
          command: createOpportunity(refused, leadId, id<Crm.CompanyId>()),
        });
        expect(noCustomer.ok ? null : noCustomer.error.code).toBe('OPPORTUNITY_CUSTOMER_NOT_FOUND');
        expect(await row('leads', leadId, { converted_at: INSTANT })).toMatchObject({
          state: 'qualified',
          converted_at: null,
        });
        const o1 = id<Commercial.OpportunityId>();
        const first = await changeOpportunity(runtime, meta, {
          opportunityId: o1,
          command: { ...createOpportunity(o1, leadId, customer), expectedCloseDate: '2026-09-30' },
        });
        expect(first.ok && !first.value.duplicate ? first.value.events.map((e) => e.type) : null).toEqual([
          'opportunity.created',
          'lead.converted',
        ]);
        const converted = await row('leads', leadId, { converted_at: INSTANT, updated_at: INSTANT });
        // Migration 2026_12_06_1001 widened the enum: a converted lead is stored as `converted`.
        expect(converted).toMatchObject({ state: 'converted', converted_at: expect.any(String) });
        expect(converted?.['updated_at']).toBe(converted?.['converted_at']);
        const loaded = await uow.run((scope) =>
          scope.aggregate(commercialLead()).load(leadId as string as Uuid),
        );
        expect(loaded.state).toMatchObject({ status: 'converted', convertedAt: converted?.['converted_at'] });
        expect(
          await row('opportunities', o1, {
            expected_close_date: { type: 'text', nullable: true },
            archived_at: INSTANT,
          }),
        ).toMatchObject({ expected_close_date: '2026-09-30', archived_at: null });
        const o2 = id<Commercial.OpportunityId>();
        const second = await changeOpportunity(runtime, meta, {
          opportunityId: o2,
          command: createOpportunity(o2, leadId, customer),
        });
        expect(second.ok && !second.value.duplicate ? second.value.events.map((e) => e.type) : null).toEqual([
          'opportunity.created',
        ]);
        expect(await row('leads', leadId, { converted_at: INSTANT })).toMatchObject({
          converted_at: converted?.['converted_at'],
          version: converted?.['version'],
        });
        const archived = await changeLead(runtime, meta, { leadId, command: { type: 'archive' } });
        const state = stateOf<Commercial.LeadDetails>(archived);
        expect(await row('leads', leadId, { converted_at: INSTANT, archived_at: INSTANT })).toMatchObject({
          state: 'archived',
          converted_at: converted?.['converted_at'],
          archived_at: state.archivedAt,
        });
        expect(state.archivedAt).not.toBeNull();
      });

      it('given an open opportunity, when its close date moves and it is lost and archived, then expected_close_date and archived_at follow', async () => {
        const o = await openOpportunity();
        const columns = {
          expected_close_date: { type: 'text', nullable: true },
          archived_at: INSTANT,
        } as const;
        for (const command of [
          { type: 'change_close_date', expectedCloseDate: '2026-12-31' },
          { type: 'lose', reason: 'Price' },
        ] as const) {
          const r = await changeOpportunity(runtime, meta, { opportunityId: o, command });
          expect(r.ok ? 'ok' : r.error.code).toBe('ok');
        }
        expect(await row('opportunities', o, columns)).toMatchObject({
          expected_close_date: '2026-12-31',
          archived_at: null,
        });
        const archived = await changeOpportunity(runtime, meta, {
          opportunityId: o,
          command: { type: 'archive' },
        });
        const state = stateOf<Commercial.OpportunityDetails>(archived);
        expect(state.archivedAt).not.toBeNull();
        expect(await row('opportunities', o, columns)).toMatchObject({
          state: 'archived',
          expected_close_date: '2026-12-31',
          archived_at: state.archivedAt,
        });
      });

      it('given a company, when created, then updated_at is its created_at', async () => {
        const c = await company('Stamped');
        const r = await row('companies', c, { created_at: { type: 'instant' }, updated_at: INSTANT });
        expect(r?.['updated_at']).toBe(r?.['created_at']);
      });

      it('given a sent quote, when accepted naming the customer contact, then the sale row keeps the contact and the commercial snapshot, and the database refuses changing either', async () => {
        const { quoteId } = await sentQuote([labour(600, 1, 1)]);
        const contact = newId();
        const input = { ...acceptInput(quoteId), acceptedByContactId: contact };
        const accepted = await quoting.accept(input, meta);
        expect(accepted.ok).toBe(true);
        const sale = await row('sales', input.saleId, {
          accepted_by_contact_id: { type: 'id', nullable: true },
          commercial_snapshot_json: { type: 'json', nullable: true },
        });
        expect(sale?.['accepted_by_contact_id']).toBe(contact);
        expect(sale?.['commercial_snapshot_json']).toMatchObject({
          quoteNumber: expect.stringMatching(/^Q-2026-\d{6}$/),
          title: 'Relaunch',
          currency: 'EUR',
          totals: { sell: eur(1200_00), cost: eur(600_00), margin: eur(600_00) },
          groups: [{ kind: 'implementation', lines: [{ minutes: 600 }] }],
        });
        const codecs = t.dialect.codecs;
        for (const set of [
          { accepted_by_contact_id: codecs.encodeId(newId()) },
          { commercial_snapshot_json: codecs.encodeJson({ title: 'rewritten' }) },
        ]) {
          await expect(
            t.db
              .updateTable(`${t.prefix}sales`)
              .set(set)
              .where('id', '=', codecs.encodeId(input.saleId))
              .execute(),
          ).rejects.toThrow(/sales|frozen|cannot change/i);
        }
        expect(
          (await row('sales', input.saleId, { accepted_by_contact_id: { type: 'id', nullable: true } }))?.[
            'accepted_by_contact_id'
          ],
        ).toBe(contact);
      });
    });

    describe('public input', () => {
      it('given wrongly typed input to any commercial entry, then VALIDATION_FAILED, and nothing is written', async () => {
        const before = await countWhere(t, 'domain_events');
        const wrong: (() => unknown)[] = [
          () =>
            changeMalleableSchema(runtime, meta, { schemaId: 'nope', command: { type: 'publish' } } as never),
          () => changeLead(runtime, meta, null as never),
          () => changeQualification(runtime, meta, { qualificationId: newId(), command: 42 } as never),
          () => changeOpportunity(runtime, meta, { opportunityId: 7, command: { type: 'advance' } } as never),
          () => uow.run((s) => allocateQuoteNumber(s, '2026' as never)),
          () => allocateQuoteNumber({} as never, 2026),
          async () => deliveryOnAcceptance({ ids: null } as never),
          async () => createQuoting({ runtime: null } as never),
          async () => createQuoting({ runtime, acceptanceSteps: [42] } as never),
          () =>
            quoting.open(
              {
                quoteId: newId(),
                opportunityId: newId(),
                customerId: customer,
                currency: 'euro',
                title: 'X',
              } as never,
              meta,
            ),
          () => quoting.handle({ quoteId: 'nope', command: { type: 'send' } } as never, meta),
          () =>
            quoting.accept(
              {
                quoteId: newId(),
                saleId: newId(),
                version: '1',
                acceptedBy: 'x',
                acceptedAt: 'now',
              } as never,
              meta,
            ),
        ];
        for (const w of wrong)
          expect((await caught(Promise.resolve().then(w))).code).toBe('VALIDATION_FAILED');
        expect(await countWhere(t, 'domain_events')).toBe(before);
      });
    });

    describe('quoting', () => {
      it('given an active customer, when quotes are opened, then numbers Q-<year>-###### follow on; a refused create gives its number back', async () => {
        const opportunityId = await openOpportunity();
        const input = (quoteId: Commercial.QuoteId) => ({
          quoteId,
          opportunityId,
          customerId: customer,
          currency: 'EUR',
          title: 'Relaunch',
        });
        const first = id<Commercial.QuoteId>();
        const a = await quoting.open(input(first), meta);
        const n = a.ok && a.value.state.status !== 'absent' ? a.value.state.quoteNumber : '';
        expect(n).toMatch(/^Q-2026-\d{6}$/);
        const again = await quoting.open(input(first), meta);
        expect(again.ok ? null : again.error.code).toBe('QUOTE_ALREADY_EXISTS');
        const b = await quoting.open(input(id<Commercial.QuoteId>()), meta);
        const next = `Q-2026-${String(Number(n.slice(7)) + 1).padStart(6, '0')}`;
        expect(b.ok && b.value.state.status !== 'absent' ? b.value.state.quoteNumber : '').toBe(next);
      });

      it('given a missing or archived customer, an unaccepted parent or a missing superseded quote, when opening, then the code names it and nothing is written', async () => {
        const archived = await company('Gone');
        const archive = createCommandHandler(runtime, crmBindings.company);
        expect(
          (
            await archive({
              streamId: archived as string as Uuid,
              command: { type: 'archive', at: '2026-04-01T11:00:00.000000Z' as Instant },
              metadata: meta,
            })
          ).ok,
        ).toBe(true);
        const { quoteId: sent } = await sentQuote();
        const before = await countWhere(t, 'quotes');
        const base = { opportunityId: newId(), customerId: customer, currency: 'EUR', title: 'X' };
        for (const [over, code] of [
          [{ customerId: newId() }, 'QUOTE_CUSTOMER_NOT_FOUND'],
          [{ customerId: archived }, 'QUOTE_CUSTOMER_ARCHIVED'],
          [{ parentQuoteId: sent }, 'QUOTE_PARENT_NOT_ACCEPTED'],
          [{ supersedesQuoteId: newId() }, 'QUOTE_SUPERSEDED_NOT_FOUND'],
        ] as const) {
          const r = await quoting.open({ ...base, quoteId: id<Commercial.QuoteId>(), ...over }, meta);
          expect(r.ok ? 'ok' : r.error.code).toBe(code);
        }
        expect(await countWhere(t, 'quotes')).toBe(before);
        expect((await caught(quoting.open({ ...base, quoteId: 'x' } as never, meta))).code).toBe(
          'VALIDATION_FAILED',
        );
        expect((await caught(quoting.handle({ quoteId: sent, command: null } as never, meta))).code).toBe(
          'VALIDATION_FAILED',
        );
      });

      it('given 12 clients opening quotes at once, then 12 distinct, consecutive numbers', async () => {
        const opportunityId = await openOpportunity();
        const results = await Promise.all(
          Array.from({ length: 12 }, () =>
            quotingOnNewClient().open(
              {
                quoteId: id<Commercial.QuoteId>(),
                opportunityId,
                customerId: customer,
                currency: 'EUR',
                title: 'Conc',
              },
              meta,
            ),
          ),
        );
        const numbers = results
          .map((r) =>
            r.ok && r.value.state.status !== 'absent' ? Number(r.value.state.quoteNumber.slice(7)) : 0,
          )
          .sort((x, y) => x - y);
        expect(new Set(numbers).size).toBe(12);
        expect((numbers.at(-1) ?? 0) - (numbers[0] ?? 0)).toBe(11);
      });

      it('given a sent quote, when accepted, then in ONE unit the quote is accepted, the sale created, the opportunity won, and the project, baseline v1, milestones and tasks are created', async () => {
        const { quoteId, opportunityId } = await sentQuote();
        const input = acceptInput(quoteId);
        const r = await quoting.accept(input, meta);
        expect(r.ok).toBe(true);
        expect(await row('quotes', quoteId)).toMatchObject({ state: 'accepted' });
        expect(await row('opportunities', opportunityId, { stage: { type: 'enum' } })).toMatchObject({
          stage: 'won',
        });
        const [sale] = await salesOf(quoteId);
        expect(sale).toMatchObject({ id: input.saleId, sold_minutes: 840, sold_value: 1680_00 });
        const projects = await projectsOf(quoteId);
        expect(projects).toHaveLength(1);
        const project = projects[0] as Row;
        expect(project).toMatchObject({
          sale_id: input.saleId,
          customer_id: customer,
          sold_minutes: 840,
          sold_value: 1680_00,
        });
        const projectId = String(project['id']);
        const baselines = await rows('project_sold_constraints', 'project_id', projectId, {
          version_number: { type: 'int' },
          sold_minutes: { type: 'minutes' },
        });
        expect(baselines.map((b) => [b['version_number'], b['sold_minutes']])).toEqual([[1, 840]]);
        const tasks = await rows('tasks', 'project_id', projectId, { sold_minutes: { type: 'minutes' } });
        expect(tasks.map((x) => x['sold_minutes']).sort()).toEqual([240, 600]);
        expect(await rows('milestones', 'project_id', projectId, {})).toHaveLength(2);
      });

      it('given an accepted quote with its project, when a change order (a quote whose parent it is) is accepted, then in the same unit the project gets baseline v2 and the added tasks; no second project', async () => {
        const original = await sentQuote();
        expect((await quoting.accept(acceptInput(original.quoteId), meta)).ok).toBe(true);
        const [project] = await projectsOf(original.quoteId);
        const projectId = String((project as Row)['id']);
        const change = await sentQuote([labour(300, 1, 3)], quoting, original.quoteId);
        const accepted = await quoting.accept(acceptInput(change.quoteId), meta);
        expect(accepted.ok).toBe(true);
        expect(await projectsOf(change.quoteId)).toHaveLength(0);
        const baselines = await rows('project_sold_constraints', 'project_id', projectId, {
          version_number: { type: 'int' },
          sold_minutes: { type: 'minutes' },
        });
        expect(baselines.map((b) => [b['version_number'], b['sold_minutes']]).sort()).toEqual([
          [1, 840],
          [2, 1140],
        ]);
        const tasks = await rows('tasks', 'project_id', projectId, { sold_minutes: { type: 'minutes' } });
        expect(tasks.map((x) => x['sold_minutes']).sort((a, b) => Number(a) - Number(b))).toEqual([
          240, 300, 600,
        ]);
        // A change order must reference the original quote: one of the change order is refused (typed,
        // the acceptance rolls back), never turned into a project of its own.
        const again = await sentQuote([labour(60, 4, 1)], quoting, change.quoteId);
        const refused = await quoting.accept(acceptInput(again.quoteId), meta);
        expect(refused.ok ? null : refused.error.code).toBe('BASELINE_SOURCE_REQUIRED');
        expect(await salesOf(again.quoteId)).toHaveLength(0);
        expect(await projectsOf(again.quoteId)).toHaveLength(0);
        expect(
          (
            await rows('project_sold_constraints', 'project_id', projectId, {
              version_number: { type: 'int' },
            })
          ).length,
        ).toBe(2);
      });

      it('given a later acceptance step that refuses, when accepting, then nothing is written: no sale, no project, the quote still sent, the opportunity still open', async () => {
        const { quoteId, opportunityId } = await sentQuote();
        const refusing = createQuoting({
          runtime,
          acceptanceSteps: [
            markOpportunityWon,
            deliveryOnAcceptance({ ids: runtime.ids }),
            { name: 'refuse', run: async () => err(reject('HOST_REFUSED', 'the host says no', {})) },
          ],
        });
        const r = await refusing.accept(acceptInput(quoteId), meta);
        expect(r.ok ? null : r.error.code).toBe('HOST_REFUSED');
        expect(await salesOf(quoteId)).toEqual([]);
        expect(await projectsOf(quoteId)).toEqual([]);
        expect(await row('quotes', quoteId)).toMatchObject({ state: 'open' });
        expect(await row('opportunities', opportunityId, { stage: { type: 'enum' } })).toMatchObject({
          stage: 'open',
        });
        expect((await quoting.accept(acceptInput(quoteId), meta)).ok).toBe(true);
        expect(await projectsOf(quoteId)).toHaveLength(1);
      });

      it('scenario 46: given a sent quote, when two clients accept it at once (50 repetitions), then exactly one sale, one project and one baseline, and the other accept is QUOTE_ACCEPTED', async () => {
        const [one, two] = [quotingOnNewClient(), quotingOnNewClient()];
        for (let i = 0; i < 50; i++) {
          const { quoteId } = await sentQuote([labour(60 * ((i % 4) + 1), 1, 1)]);
          const outcomes = await Promise.all([
            one.accept(acceptInput(quoteId), meta),
            two.accept(acceptInput(quoteId), meta),
          ]);
          expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code)).sort()).toEqual(['QUOTE_ACCEPTED', 'ok']);
          expect(await salesOf(quoteId)).toHaveLength(1);
          const projects = await projectsOf(quoteId);
          expect(projects).toHaveLength(1);
          const projectId = String(projects[0]?.['id']);
          expect(await rows('project_sold_constraints', 'project_id', projectId, {})).toHaveLength(1);
          expect(await rows('sold_constraint_sets', 'project_id', projectId, {})).toHaveLength(1);
        }
      });

      it('property: for any labour lines, the sale, the project, baseline v1 and the tasks agree on the sold minutes and value to the minute and the minor unit', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                quarters: fc.integer({ min: 1, max: 40 }),
                quantity: fc.integer({ min: 1, max: 3 }),
                milestone: fc.integer({ min: 1, max: 3 }),
              }),
              { minLength: 1, maxLength: 5 },
            ),
            async (plan) => {
              const lines = plan.map((p) => labour(p.quarters * 15, p.quantity, p.milestone));
              const minutes = plan.reduce((n, p) => n + p.quarters * 15 * p.quantity, 0);
              const { quoteId } = await sentQuote(lines);
              expect((await quoting.accept(acceptInput(quoteId), meta)).ok).toBe(true);
              const [sale] = await salesOf(quoteId);
              const [project] = await projectsOf(quoteId);
              const projectId = String(project?.['id']);
              const [baseline] = await rows('project_sold_constraints', 'project_id', projectId, {
                sold_minutes: { type: 'minutes' },
                sold_value: { type: 'money' },
              });
              const tasks = await rows('tasks', 'project_id', projectId, {
                sold_minutes: { type: 'minutes' },
              });
              expect(sale?.['sold_minutes']).toBe(minutes);
              expect(project?.['sold_minutes']).toBe(minutes);
              expect(baseline?.['sold_minutes']).toBe(minutes);
              expect(tasks.reduce((n, x) => n + Number(x['sold_minutes']), 0)).toBe(minutes);
              expect(tasks).toHaveLength(lines.length);
              expect(project?.['sold_value']).toBe(sale?.['sold_value']);
              expect(baseline?.['sold_value']).toBe(sale?.['sold_value']);
            },
          ),
          { numRuns: 6 },
        );
      });
    });
  });
}
