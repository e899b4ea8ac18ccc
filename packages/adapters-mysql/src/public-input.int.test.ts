// Issue 29, item 3: every public entry of `@pet-ops/adapters-mysql` that takes an input object answers a
// wrongly typed value with VALIDATION_FAILED (a ValidationError naming the field) — never a raw
// TypeError — and writes nothing (row counts of domain_events and the touched tables unchanged).
import { type Commercial, isPetError, type PetError, ValidationError } from '@pet-ops/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { changeLead, changeOpportunity, createMysqlQuoting } from './commercial/index.js';
import { connect } from './connection.js';
import { ACTOR, type CrmFixture, openCrmFixture, PREFIX } from './crm/fixtures.test.js';
import { importCompaniesCsv } from './crm/import.js';
import { type CrmCommands, createCrmCommands } from './crm/workflows.js';
import { countRows } from './event-store/fixtures.test.js';
import { createMysqlEventStore } from './event-store/index.js';
import { createActivityFeedRunner } from './feed/index.js';
import { createIdentityRepository } from './identity/repository.js';
import { createKpiRunner } from './kpi/runner.js';
import { migrate } from './migration/engine.js';
import { createMysqlUnitOfWork } from './unit-of-work/index.js';

let fx: CrmFixture;
let crm: CrmCommands;
const meta = { actor: ACTOR };
const TABLES = ['domain_events', 'companies', 'company_slots', 'people'].map((t) => `${PREFIX}${t}`);

/** Wrongly typed values: numbers for strings, objects, arrays, null, NaN, huge strings, `__proto__`… */
const CONFUSED: readonly unknown[] = [
  undefined,
  null,
  42,
  Number.NaN,
  -1,
  true,
  { evil: true },
  [],
  ['a'],
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  10n,
  () => 'x',
  new Date(Number.NaN),
];
/** The values of {@link CONFUSED} that are wrong for `field` (42 is a fine timeout, `true` a fine flag). */
function wrongFor(field: string): readonly unknown[] {
  const numeric = ['lockTimeoutSeconds', 'batchSize', 'maxReportedRejections', 'checkpointPartSize'];
  const flags = ['dryRun', 'keepState'];
  return CONFUSED.filter(
    (v) =>
      v !== undefined &&
      !(numeric.includes(field) && v === 42) &&
      !(flags.includes(field) && v === true) &&
      !(field === 'onProgress' && typeof v === 'function') &&
      // The lists are checked when used (the engine's definitions, the migrations' own validation).
      !(['definitions', 'migrations'].includes(field) && Array.isArray(v)),
  );
}

/** Strings the entries must also refuse where a string of a certain form is needed. */
const HUGE = 'x'.repeat(200_000);

async function counts(): Promise<number[]> {
  return Promise.all(TABLES.map((t) => countRows(fx.pool, t)));
}

async function failure(call: () => Promise<unknown> | unknown): Promise<unknown> {
  try {
    const r = await call();
    return { returned: r };
  } catch (e) {
    return e;
  }
}

/** The entry refused `value` with VALIDATION_FAILED (naming a field) or a Rejection, and wrote nothing. */
async function expectRefused(what: string, call: () => Promise<unknown> | unknown): Promise<void> {
  const before = await counts();
  const e = await failure(call);
  const returned = (e as { returned?: { ok?: boolean } }).returned;
  if (returned !== undefined && typeof returned === 'object' && returned !== null && 'ok' in returned) {
    expect(returned.ok, `${what}: a Result, refused`).toBe(false);
  } else {
    expect(
      isPetError(e),
      `${what}: ${String((e as Error)?.constructor?.name)} ${String((e as Error)?.message)}`,
    ).toBe(true);
    expect((e as PetError).code, what).toBe('VALIDATION_FAILED');
    expect((e as ValidationError).issues.length, what).toBeGreaterThan(0);
  }
  expect(await counts(), `${what}: nothing written`).toEqual(before);
}

beforeAll(async () => {
  fx = await openCrmFixture(inject('mysqlUrl'), 4);
  crm = createCrmCommands({ runtime: fx.runtime(7), prefix: PREFIX });
});
afterAll(async () => {
  await fx?.close();
});

describe('public input of the CRM commands', () => {
  it('given a company named by an object (issue 29), when inserting it, then VALIDATION_FAILED naming name and nothing written', async () => {
    const before = await counts();
    const e = await failure(() => crm.insertCompanyWithSlots({ name: { evil: true } } as never, meta));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues.map((i) => i.field)).toContain('name');
    expect(await counts()).toEqual(before);
  });

  it('given every field of a company wrongly typed, when inserting it, then VALIDATION_FAILED and nothing written', async () => {
    for (const field of ['name', 'website', 'externalId', 'ein']) {
      for (const value of CONFUSED) {
        if (field !== 'name' && (value === undefined || value === null)) continue; // optional fields
        await expectRefused(`insertCompanyWithSlots ${field}=${String(value)}`, () =>
          crm.insertCompanyWithSlots({ name: 'Acme', [field]: value } as never, meta),
        );
      }
    }
    for (const input of CONFUSED) {
      await expectRefused(`insertCompanyWithSlots input=${String(input)}`, () =>
        crm.insertCompanyWithSlots(input as never, meta),
      );
    }
    await expectRefused('insertCompanyWithSlots metadata', () =>
      crm.insertCompanyWithSlots({ name: 'Acme' }, { actor: { evil: true } } as never),
    );
  });

  it('given wrongly typed people, slots and ids, when creating a person or linking to a slot, then refused and nothing written', async () => {
    const personId = '019b76da-a800-7000-8000-0000000000aa';
    for (const value of [...CONFUSED, HUGE]) {
      await expectRefused(`createPerson name=${String(value).slice(0, 20)}`, () =>
        crm.createPerson(personId as never, { name: value } as never, meta),
      );
      await expectRefused(`createPerson input=${String(value).slice(0, 20)}`, () =>
        crm.createPerson(personId as never, value as never, meta),
      );
      await expectRefused(`createPerson personId=${String(value).slice(0, 20)}`, () =>
        crm.createPerson(value as never, { name: 'Ada' }, meta),
      );
      await expectRefused(`linkPersonToSlot slotId=${String(value).slice(0, 20)}`, () =>
        crm.linkPersonToSlot(value as never, personId as never, meta),
      );
      await expectRefused(`linkPersonToSlot personId=${String(value).slice(0, 20)}`, () =>
        crm.linkPersonToSlot(personId as never, value as never, meta),
      );
      await expectRefused(`proposePersonForSlot personId=${String(value).slice(0, 20)}`, () =>
        crm.proposePersonForSlot(personId as never, value as never, meta),
      );
      await expectRefused(`vacateSlot slotId=${String(value).slice(0, 20)}`, () =>
        crm.vacateSlot(value as never, meta),
      );
    }
  });

  it('given wrongly typed import options, when importing, then VALIDATION_FAILED and nothing written', async () => {
    for (const value of CONFUSED) {
      await expectRefused(`importCompaniesCsv options=${String(value)}`, () =>
        importCompaniesCsv(value as never),
      );
    }
    for (const field of ['prefix', 'file', 'dryRun', 'batchSize', 'maxReportedRejections', 'actor']) {
      for (const value of wrongFor(field)) {
        await expectRefused(`importCompaniesCsv ${field}=${String(value)}`, () =>
          importCompaniesCsv({ pool: fx.pool, prefix: PREFIX, file: '/dev/null', [field]: value } as never),
        );
      }
    }
  });
});

describe('public input of the other entries', () => {
  it('given a wrongly typed prefix, when creating the identity repository, then VALIDATION_FAILED', async () => {
    for (const value of [...CONFUSED, HUGE, '; DROP TABLE x']) {
      await expectRefused(`createIdentityRepository ${String(value).slice(0, 20)}`, () =>
        createIdentityRepository(value as never),
      );
    }
  });

  it('given wrongly typed lead and opportunity requests, when changing them, then refused and nothing written', async () => {
    const runtime = fx.runtime(8);
    const id = '019b76da-a800-7000-8000-0000000000bb';
    for (const value of CONFUSED) {
      await expectRefused(`changeLead request=${String(value)}`, () =>
        changeLead(runtime, meta, value as never),
      );
      await expectRefused(`changeLead command=${String(value)}`, () =>
        changeLead(runtime, meta, { leadId: id, command: value } as never),
      );
      await expectRefused(`changeLead leadId=${String(value)}`, () =>
        changeLead(runtime, meta, {
          leadId: value,
          command: { type: 'create', leadId: id, source: value, subject: 'x' },
        } as never),
      );
      await expectRefused(`changeOpportunity command=${String(value)}`, () =>
        changeOpportunity(runtime, meta, id as never, value as never),
      );
      await expectRefused(`changeOpportunity id=${String(value)}`, () =>
        changeOpportunity(runtime, meta, value as never, { type: 'create', opportunityId: id } as never),
      );
      await expectRefused(`changeLead metadata=${String(value)}`, () =>
        changeLead(runtime, value as never, {
          leadId: id as Commercial.LeadId,
          command: { type: 'archive' } as never,
        }),
      );
    }
  });

  it('given wrongly typed KPI runner, connection and migration options, then VALIDATION_FAILED and nothing written', async () => {
    for (const value of CONFUSED) {
      await expectRefused(`createKpiRunner options=${String(value)}`, () => createKpiRunner(value as never));
      await expectRefused(`connect options=${String(value)}`, () => connect(value as never));
      await expectRefused(`connect url=${String(value)}`, () => connect({ url: value } as never));
      // An object with unknown keys only is a valid migrate options object (every option is optional).
      if (value !== undefined && !(typeof value === 'object' && value !== null && !Array.isArray(value))) {
        await expectRefused(`migrate options=${String(value)}`, () => migrate(fx.pool, value as never));
      }
    }
    for (const field of ['prefix', 'batchSize', 'checkpointPartSize', 'definitions', 'orgTimeZone', 'pool']) {
      for (const value of wrongFor(field)) {
        await expectRefused(`createKpiRunner ${field}=${String(value)}`, () =>
          createKpiRunner({
            pool: fx.pool,
            prefix: PREFIX,
            definitions: [],
            orgTimeZone: 'Europe/Berlin',
            [field]: value,
          } as never),
        );
      }
    }
    for (const field of ['prefix', 'lockTimeoutSeconds', 'target', 'onProgress', 'migrations']) {
      for (const value of wrongFor(field)) {
        await expectRefused(`migrate ${field}=${String(value)}`, () =>
          migrate(fx.pool, { prefix: PREFIX, [field]: value } as never),
        );
      }
    }
  });

  it('given wrongly typed options of the stores, the quoting service and the activity feed, then VALIDATION_FAILED', async () => {
    const runtime = fx.runtime(9);
    const entries: [string, (options: unknown) => unknown, Record<string, unknown>][] = [
      ['createMysqlEventStore', (o) => createMysqlEventStore(o as never), { pool: fx.pool, prefix: PREFIX }],
      [
        'createMysqlUnitOfWork',
        (o) => createMysqlUnitOfWork(o as never),
        { pool: fx.pool, prefix: PREFIX, tables: {} },
      ],
      [
        'createMysqlQuoting',
        (o) => createMysqlQuoting(o as never),
        { pool: fx.pool, prefix: PREFIX, runtime },
      ],
      [
        'createActivityFeedRunner',
        (o) => createActivityFeedRunner(o as never),
        { pool: fx.pool, prefix: PREFIX },
      ],
    ];
    for (const [name, create, valid] of entries) {
      for (const value of CONFUSED) {
        await expectRefused(`${name} options=${String(value)}`, () => create(value));
      }
      for (const field of [...Object.keys(valid), 'batchSize']) {
        for (const value of wrongFor(field)) {
          if (field === 'tables' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
            // Only a `__proto__` key (which the record schema drops, polluting nothing) is no tables: valid.
            if (Object.keys(value).every((k) => k === '__proto__')) continue;
          }
          if (name !== 'createActivityFeedRunner' && field === 'batchSize') continue;
          await expectRefused(`${name} ${field}=${String(value)}`, () =>
            create({ ...valid, [field]: value }),
          );
        }
      }
    }
  });
});
