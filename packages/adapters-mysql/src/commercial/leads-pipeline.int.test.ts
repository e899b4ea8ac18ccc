import {
  type CommandMetadata,
  type CommandRuntime,
  Commercial,
  type CurrencyCode,
  createEventRegistry,
  isPetError,
  type Money,
  type Uuid,
} from '@pet-ops/core';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMysqlEventStore } from '../event-store/event-store.js';
import { bytesToUuid, uuidToBytes } from '../internal/uuid-bytes.js';
import { useFreshDatabase } from '../migration/fresh-database.test.js';
import { systemClock, uuidV7Ids } from '../system.js';
import { installSchema } from '../testing/schema.js';
import { createMysqlUnitOfWork } from '../unit-of-work/unit-of-work.js';
import {
  changeLead,
  changeMalleableSchema,
  changeOpportunity,
  changeQualification,
  LEAD_PIPELINE_TABLES,
} from './index.js';

const P = 'wp_';
let pool: Pool;
let url: string;
useFreshDatabase((fresh) => {
  pool = fresh.pool;
  url = fresh.db.url;
});

let runtime: CommandRuntime;
const employee = uuidV7Ids.next();
const meta: CommandMetadata = { actor: { type: 'employee', id: employee } };
const EUR = 'EUR' as CurrencyCode;
const eur = (amountMinor: number): Money => ({ amountMinor, currency: EUR });
const ids = {
  schema: () => uuidV7Ids.next() as string as Commercial.MalleableSchemaId,
  lead: () => uuidV7Ids.next() as string as Commercial.LeadId,
  qualification: () => uuidV7Ids.next() as string as Commercial.QualificationId,
  opportunity: () => uuidV7Ids.next() as string as Commercial.OpportunityId,
};

const fieldsV1: Commercial.MalleableField[] = [
  { key: 'budget', label: 'Budget', type: 'money', required: true, currency: EUR },
  {
    key: 'stage',
    label: 'Stage',
    type: 'select',
    required: false,
    options: [
      { id: 'discovery', label: 'Discovery' },
      { id: 'evaluation', label: 'Evaluation' },
    ],
  },
];
const fieldsV2: Commercial.MalleableField[] = [fieldsV1[0] as Commercial.MalleableField];
const leadSchema = ids.schema();
let customer: Uuid;

async function rows(sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
  const [r] = await pool.query<RowDataPacket[]>(sql, params);
  return r;
}
const row = async (table: string, id: string): Promise<RowDataPacket | undefined> =>
  (await rows(`SELECT * FROM ${P}${table} WHERE id = ?`, [uuidToBytes(id)]))[0];
const eventsOf = async (id: string): Promise<string[]> =>
  (await createMysqlEventStore({ pool, prefix: P }).readStream(id as Uuid)).map((e) => e.type);

async function insertCompany(state: 'active' | 'archived'): Promise<Uuid> {
  const id = uuidV7Ids.next();
  const n = Math.floor(Math.random() * 999_999);
  await pool.query(
    `INSERT INTO ${P}companies (id, version, state, company_uid, name) VALUES (?, 1, ?, ?, 'Acme')`,
    [uuidToBytes(id), state, `CO-20261122-${String(n).padStart(6, '0')}`],
  );
  return id;
}

function create(leadId: Commercial.LeadId, over: Partial<Commercial.CreateLead> = {}): Commercial.CreateLead {
  return {
    type: 'create',
    leadId,
    source: 'web',
    subject: 'ERP rollout',
    description: null,
    customerId: null,
    ownerEmployeeId: null,
    teamId: null,
    schemaVersion: 1,
    data: { budget: eur(5_000_000), stage: 'evaluation' },
    ...over,
  };
}

async function openLead(over: Partial<Commercial.CreateLead> = {}): Promise<Commercial.LeadId> {
  const leadId = ids.lead();
  const r = await changeLead(runtime, meta, {
    leadId,
    schemaId: leadSchema,
    command: create(leadId, { schemaVersion: null, data: {}, ...over }),
  });
  expect(r.ok).toBe(true);
  return leadId;
}

async function qualifiedLead(cls: Commercial.OpportunityClass = 'gold'): Promise<Commercial.LeadId> {
  const leadId = await openLead();
  const qualificationId = ids.qualification();
  const start = await changeQualification(runtime, meta, {
    qualificationId,
    command: { type: 'start', qualificationId, leadId, schemaVersion: null, data: {} },
  });
  expect(start.ok).toBe(true);
  const done = await changeQualification(runtime, meta, {
    qualificationId,
    command: { type: 'complete', outcome: 'qualified', opportunityClass: cls, reason: null },
  });
  expect(done.ok).toBe(true);
  return leadId;
}

beforeAll(async () => {
  await installSchema(url, P);
  runtime = {
    unitOfWork: createMysqlUnitOfWork({ pool, prefix: P, tables: LEAD_PIPELINE_TABLES }),
    registry: createEventRegistry({ events: Commercial.leadPipelineEventDefinitions }),
    clock: systemClock,
    ids: uuidV7Ids,
  };
  customer = await insertCompany('active');
});

describe('malleable_schemas', () => {
  it('draft → publish v1; v2 drops a field and an option; publish demotes v1 in the same row write; one draft at a time', async () => {
    const run = (command: Commercial.MalleableSchemaCommand) =>
      changeMalleableSchema(runtime, meta, { schemaId: leadSchema, command });
    expect(
      (await run({ type: 'create_draft', schemaId: leadSchema, entityType: 'lead', fields: fieldsV1 })).ok,
    ).toBe(true);
    expect((await run({ type: 'publish', at: systemClock.now() })).ok).toBe(true);
    let r = await row('malleable_schemas', leadSchema);
    expect([r?.['entity_type'], r?.['active_version'], r?.['draft_version'], r?.['version']]).toEqual([
      'lead',
      1,
      null,
      2,
    ]);
    // Scenario 6 set-up: a lead on v1 whose data uses the option v2 will drop.
    const old = ids.lead();
    expect(
      (await changeLead(runtime, meta, { leadId: old, schemaId: leadSchema, command: create(old) })).ok,
    ).toBe(true);

    expect(
      (await run({ type: 'create_draft', schemaId: leadSchema, entityType: 'lead', fields: fieldsV2 })).ok,
    ).toBe(true);
    const second = await run({
      type: 'create_draft',
      schemaId: leadSchema,
      entityType: 'lead',
      fields: fieldsV2,
    });
    expect(second.ok ? null : second.error.code).toBe('SCHEMA_DRAFT_EXISTS');
    expect((await run({ type: 'publish', at: systemClock.now() })).ok).toBe(true);
    r = await row('malleable_schemas', leadSchema);
    expect([r?.['active_version'], r?.['draft_version']]).toEqual([2, null]);
    const versions = (
      typeof r?.['versions'] === 'string' ? JSON.parse(r['versions']) : r?.['versions']
    ) as Commercial.MalleableSchemaVersion[];
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'historical'],
      [2, 'active'],
    ]);
    expect(versions[0]?.fields).toEqual(fieldsV1);
    expect(await eventsOf(leadSchema)).toEqual([
      'schema.draft_created',
      'schema.published',
      'schema.draft_created',
      'schema.published',
    ]);

    // The v1 lead reads back unchanged and still validates against v1.
    const lead = await row('leads', old);
    const data =
      typeof lead?.['malleable_data'] === 'string'
        ? JSON.parse(lead['malleable_data'])
        : lead?.['malleable_data'];
    expect([lead?.['malleable_schema_version'], data]).toEqual([
      1,
      { budget: eur(5_000_000), stage: 'evaluation' },
    ]);
    const edit = await changeLead(runtime, meta, {
      leadId: old,
      schemaId: leadSchema,
      command: { type: 'update', changes: { data: { budget: eur(6_000_000), stage: 'evaluation' } } },
    });
    expect(edit.ok).toBe(true);
    // v2 dropped `stage`: on the v1 lead it is read-only, and a refused edit writes nothing.
    const eventsBefore = await eventsOf(old);
    for (const stage of ['discovery', null]) {
      const deprecated = await changeLead(runtime, meta, {
        leadId: old,
        schemaId: leadSchema,
        command: { type: 'update', changes: { data: { budget: eur(6_000_000), stage } } },
      });
      expect(deprecated.ok ? null : [deprecated.error.code, deprecated.error.details?.['issues']]).toEqual([
        'LEAD_FIELD_DEPRECATED',
        [{ field: 'stage', rule: 'deprecated: v2 dropped it, so it is read-only' }],
      ]);
    }
    const after = await row('leads', old);
    expect(
      typeof after?.['malleable_data'] === 'string'
        ? JSON.parse(after['malleable_data'])
        : after?.['malleable_data'],
    ).toEqual({ budget: eur(6_000_000), stage: 'evaluation' });
    expect(await eventsOf(old)).toEqual(eventsBefore);
    // New leads bind to the active version only.
    const fresh = ids.lead();
    const onV1 = await changeLead(runtime, meta, {
      leadId: fresh,
      schemaId: leadSchema,
      command: create(fresh),
    });
    expect(onV1.ok ? null : onV1.error.code).toBe('LEAD_SCHEMA_MISMATCH');
    expect(await row('leads', fresh)).toBeUndefined();
  });
});

describe('leads', () => {
  it('creates a row with the minimal fields; invalid malleable data is refused and nothing is written', async () => {
    const leadId = await openLead({
      customerId: customer as string as Commercial.OpportunityDetails['customerId'],
    });
    const r = await row('leads', leadId);
    expect([r?.['state'], r?.['source'], r?.['subject'], r?.['version']]).toEqual([
      'created',
      'web',
      'ERP rollout',
      1,
    ]);
    const bad = ids.lead();
    const refused = await changeLead(runtime, meta, {
      leadId: bad,
      schemaId: leadSchema,
      command: create(bad, { schemaVersion: 2, data: { budget: { amountMinor: 1, currency: 'USD' } } }),
    });
    expect(refused.ok ? null : [refused.error.code, refused.error.details?.['issues']]).toEqual([
      'LEAD_DATA_INVALID',
      [{ field: 'data.budget', rule: 'currency must be EUR' }],
    ]);
    expect(await row('leads', bad)).toBeUndefined();
    expect(await eventsOf(bad)).toEqual([]);
  });

  it('bad input is a typed validation error naming the field, and nothing is written', async () => {
    const leadId = ids.lead();
    const e = await changeLead(runtime, meta, { leadId, command: create(leadId, { source: '' }) }).catch(
      (x: unknown) => x,
    );
    expect(isPetError(e) && e.code === 'VALIDATION_FAILED' ? e.message : e).toMatch(/source/);
    expect(await row('leads', leadId)).toBeUndefined();
    const other = ids.lead();
    const mismatch = await changeLead(runtime, meta, {
      leadId,
      command: create(other, { schemaVersion: null, data: {} }),
    }).catch((x: unknown) => x);
    expect(isPetError(mismatch) ? mismatch.message : mismatch).toMatch(
      /command\.leadId: must equal the stream id/,
    );
    expect(await row('leads', leadId)).toBeUndefined();
  });
});

describe('qualifications', () => {
  it('completing a qualification qualifies its lead in the same transaction', async () => {
    const leadId = await openLead();
    const qualificationId = ids.qualification();
    await changeQualification(runtime, meta, {
      qualificationId,
      command: { type: 'start', qualificationId, leadId, schemaVersion: null, data: {} },
    });
    expect((await row('qualifications', qualificationId))?.['state']).toBe('started');
    const done = await changeQualification(runtime, meta, {
      qualificationId,
      command: { type: 'complete', outcome: 'qualified', opportunityClass: 'silver', reason: null },
    });
    expect(done.ok && !done.value.duplicate ? done.value.events.map((e) => e.type) : done).toEqual([
      'qualification.completed',
      'lead.qualified',
    ]);
    const q = await row('qualifications', qualificationId);
    const l = await row('leads', leadId);
    expect([q?.['state'], q?.['outcome'], q?.['opportunity_class']]).toEqual([
      'completed',
      'qualified',
      'silver',
    ]);
    expect([l?.['state'], l?.['opportunity_class']]).toEqual(['qualified', 'silver']);
    const again = ids.qualification();
    const late = await changeQualification(runtime, meta, {
      qualificationId: again,
      command: { type: 'start', qualificationId: again, leadId, schemaVersion: null, data: {} },
    });
    expect(late.ok ? null : late.error.code).toBe('QUALIFICATION_LEAD_NOT_OPEN');
  });

  it('a disqualification archives the lead; a second completion on a decided lead rolls back both aggregates', async () => {
    const leadId = await openLead();
    const [a, b] = [ids.qualification(), ids.qualification()];
    for (const q of [a, b]) {
      const s = await changeQualification(runtime, meta, {
        qualificationId: q,
        command: { type: 'start', qualificationId: q, leadId, schemaVersion: null, data: {} },
      });
      expect(s.ok).toBe(true);
    }
    const first = await changeQualification(runtime, meta, {
      qualificationId: a,
      command: { type: 'complete', outcome: 'disqualified', opportunityClass: null, reason: 'no budget' },
    });
    expect(first.ok).toBe(true);
    const l = await row('leads', leadId);
    expect([l?.['state'], l?.['disqualification_reason']]).toEqual(['archived', 'no budget']);
    const second = await changeQualification(runtime, meta, {
      qualificationId: b,
      command: { type: 'complete', outcome: 'qualified', opportunityClass: 'gold', reason: null },
    });
    expect(second.ok ? null : second.error.code).toBe('LEAD_ARCHIVED');
    expect([
      (await row('qualifications', b))?.['state'],
      (await row('qualifications', b))?.['version'],
    ]).toEqual(['started', 1]);
    expect(await eventsOf(b)).toEqual(['qualification.started']);
    expect(await eventsOf(leadId)).toEqual(['lead.created', 'lead.disqualified', 'lead.archived']);
  });
});

describe('concurrency', () => {
  it('two qualifications of one lead completing at once: exactly one decides the lead, the other is refused and writes nothing (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const leadId = await openLead();
      const [a, b] = [ids.qualification(), ids.qualification()];
      for (const q of [a, b]) {
        await changeQualification(runtime, meta, {
          qualificationId: q,
          command: { type: 'start', qualificationId: q, leadId, schemaVersion: null, data: {} },
        });
      }
      const results = await Promise.all(
        [a, b].map((q, i) =>
          changeQualification(runtime, meta, {
            qualificationId: q,
            command:
              i === 0
                ? { type: 'complete', outcome: 'qualified', opportunityClass: 'gold', reason: null }
                : { type: 'complete', outcome: 'disqualified', opportunityClass: null, reason: 'no budget' },
          }),
        ),
      );
      const codes = results.map((r) => (r.ok ? 'ok' : r.error.code)).sort();
      expect(['LEAD_ALREADY_DECIDED,ok', 'LEAD_ARCHIVED,ok']).toContain(codes.join(','));
      const states = await Promise.all([a, b].map(async (q) => (await row('qualifications', q))?.['state']));
      expect(states.filter((s) => s === 'completed')).toHaveLength(1);
      const lead = await row('leads', leadId);
      const winner = results[0]?.ok ? 'qualified' : 'archived';
      expect(lead?.['state']).toBe(winner);
    }
  });
});

describe('opportunities', () => {
  it('needs a qualified lead and an active CRM company; inherits the class; carries the customer in the context', async () => {
    const open = await openLead();
    const base = {
      type: 'create' as const,
      probabilityBp: 4000 as Commercial.OpportunityDetails['probabilityBp'],
      estimatedValue: eur(6_000_000),
      ownerEmployeeId: null,
      teamId: null,
    };
    const o1 = ids.opportunity();
    const notQualified = await changeOpportunity(runtime, meta, {
      opportunityId: o1,
      command: {
        ...base,
        opportunityId: o1,
        leadId: open,
        customerId: customer as string as Commercial.OpportunityDetails['customerId'],
      },
    });
    expect(notQualified.ok ? null : notQualified.error.code).toBe('OPPORTUNITY_LEAD_NOT_QUALIFIED');
    const lead = await qualifiedLead('bronze');
    const archivedCompany = await insertCompany('archived');
    for (const c of [archivedCompany, uuidV7Ids.next()]) {
      const r = await changeOpportunity(runtime, meta, {
        opportunityId: o1,
        command: {
          ...base,
          opportunityId: o1,
          leadId: lead,
          customerId: c as string as Commercial.OpportunityDetails['customerId'],
        },
      });
      expect(r.ok ? null : r.error.code).toBe('OPPORTUNITY_CUSTOMER_NOT_FOUND');
    }
    expect(await row('opportunities', o1)).toBeUndefined();
    const made = await changeOpportunity(runtime, meta, {
      opportunityId: o1,
      command: {
        ...base,
        opportunityId: o1,
        leadId: lead,
        customerId: customer as string as Commercial.OpportunityDetails['customerId'],
      },
    });
    expect(made.ok).toBe(true);
    const r = await row('opportunities', o1);
    expect([
      r?.['stage'],
      r?.['opportunity_class'],
      Number(r?.['probability_bp']),
      Number(r?.['estimated_value_minor']),
      r?.['currency'],
    ]).toEqual(['open', 'bronze', 4000, 6_000_000, 'EUR']);
    const stored = await createMysqlEventStore({ pool, prefix: P }).readStream(o1 as string as Uuid);
    expect(stored[0]?.context).toEqual({ customerId: customer });
    expect(stored[0]?.actor).toEqual({ type: 'employee', id: employee });
  });

  it("given a qualified lead, when its first opportunity is created through the adapter's workflow, then the lead is converted in the same transaction (converted_at, updated_at, author); a second one leaves it", async () => {
    const lead = await qualifiedLead('silver');
    const qualification = (await row('leads', lead))?.['qualification_id'] as Uint8Array;
    const q = (
      await rows(`SELECT started_at, completed_at FROM ${P}qualifications WHERE id = ?`, [qualification])
    )[0];
    expect(q?.['started_at']).not.toBeNull();
    expect(q?.['completed_at']).not.toBeNull();
    const opportunity = (o: Commercial.OpportunityId) =>
      changeOpportunity(runtime, meta, {
        opportunityId: o,
        command: {
          type: 'create',
          opportunityId: o,
          leadId: lead,
          customerId: customer as string as Commercial.OpportunityDetails['customerId'],
          probabilityBp: 4000 as Commercial.OpportunityDetails['probabilityBp'],
          estimatedValue: eur(6_000_000),
          ownerEmployeeId: null,
          teamId: null,
          expectedCloseDate: '2027-01-31',
        },
      });
    const o1 = ids.opportunity();
    expect((await opportunity(o1)).ok).toBe(true);
    const converted = await row('leads', lead);
    expect(converted?.['state']).toBe('converted');
    expect(converted?.['converted_at']).not.toBeNull();
    expect(converted?.['updated_at']).toEqual(converted?.['converted_at']);
    expect(bytesToUuid(converted?.['created_by_employee_id'] as Uint8Array)).toBe(employee);
    expect(await eventsOf(lead)).toEqual(['lead.created', 'lead.qualified', 'lead.converted']);
    expect((await row('opportunities', o1))?.['expected_close_date']).toBe('2027-01-31');
    expect((await opportunity(ids.opportunity())).ok).toBe(true);
    expect(await eventsOf(lead)).toEqual(['lead.created', 'lead.qualified', 'lead.converted']);
  });

  it('given the deprecated positional form, when an opportunity and a schema are changed with it, then it works as the request form does', async () => {
    const lead = await qualifiedLead();
    const o = ids.opportunity();
    const created = await changeOpportunity(runtime, meta, o, {
      type: 'create',
      opportunityId: o,
      leadId: lead,
      customerId: customer as string as Commercial.OpportunityDetails['customerId'],
      probabilityBp: 2500 as Commercial.OpportunityDetails['probabilityBp'],
      estimatedValue: eur(100_00),
      ownerEmployeeId: null,
      teamId: null,
    });
    expect(created.ok).toBe(true);
    expect((await changeOpportunity(runtime, meta, o, { type: 'advance', to: 'proposal' })).ok).toBe(true);
    expect((await row('opportunities', o))?.['stage']).toBe('proposal');
    const missing = await changeOpportunity(runtime, meta, ids.opportunity(), {
      type: 'advance',
      to: 'negotiation',
    });
    expect(missing.ok ? null : missing.error.code).toBe('OPPORTUNITY_NOT_FOUND');
    const schema = uuidV7Ids.next() as string as Commercial.MalleableSchemaId;
    const draft = await changeMalleableSchema(runtime, meta, schema, {
      type: 'create_draft',
      schemaId: schema,
      entityType: 'opportunity',
      fields: fieldsV1,
    });
    expect(draft.ok).toBe(true);
    expect((await row('malleable_schemas', schema))?.['entity_type']).toBe('opportunity');
  });

  it('stage machine in the database: open → proposal → lost; lost → won is refused and nothing changes', async () => {
    const lead = await qualifiedLead();
    const o = ids.opportunity();
    const step = (command: Commercial.OpportunityCommand) =>
      changeOpportunity(runtime, meta, { opportunityId: o, command });
    expect(
      (
        await step({
          type: 'create',
          opportunityId: o,
          leadId: lead,
          customerId: customer as string as Commercial.OpportunityDetails['customerId'],
          probabilityBp: 2500 as Commercial.OpportunityDetails['probabilityBp'],
          estimatedValue: eur(100_00),
          ownerEmployeeId: null,
          teamId: null,
        })
      ).ok,
    ).toBe(true);
    expect((await step({ type: 'advance', to: 'proposal' })).ok).toBe(true);
    expect(
      (
        await step({
          type: 'change_probability',
          probabilityBp: 6000 as Commercial.OpportunityDetails['probabilityBp'],
        })
      ).ok,
    ).toBe(true);
    expect((await step({ type: 'lose', reason: 'price' })).ok).toBe(true);
    const won = await step({ type: 'win', quoteId: null });
    expect(won.ok ? null : won.error.code).toBe('OPPORTUNITY_CLOSED');
    const r = await row('opportunities', o);
    expect([r?.['stage'], r?.['loss_reason'], Number(r?.['probability_bp']), r?.['version']]).toEqual([
      'lost',
      'price',
      6000,
      4,
    ]);
    expect((await step({ type: 'archive' })).ok).toBe(true);
    expect((await row('opportunities', o))?.['state']).toBe('archived');
    expect(await eventsOf(o)).toEqual([
      'opportunity.created',
      'opportunity.stage_changed',
      'opportunity.probability_changed',
      'opportunity.lost',
      'opportunity.archived',
    ]);
  });
});
