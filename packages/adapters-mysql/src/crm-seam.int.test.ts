// The CRM context's persistence (companies, company slots, people, per-day uids) on MariaDB through
// mysqlDialect: the same contract that runs on SQLite. Concurrent clients take their own connections from
// the pool. Interop: a row the adapter's own CRM code writes (the demo and the CLI still use it) loads
// through the seam's declaration with the same state, and the other way round. (That code keeps its own
// tests in crm/.)
import type { Crm, Uuid } from '@pet-ops/core';
import {
  aggregateOf,
  companiesTable,
  createEventStore,
  createCrmCommands as createSeamCrmCommands,
  createUnitOfWork,
  peopleTable,
  STATE_TABLES,
} from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeCrmContract, runtimeOn } from '../../sql/src/contract/crm-contract.test.js';
import { newId } from '../../sql/src/contract/event-store-contract.test.js';
import { CRM_STATE_TABLES, companyDefinition, personDefinition } from './crm/definitions.js';
import { createCrmCommands as createMysqlCrmCommands } from './crm/workflows.js';
import { type Fixture, openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';
import { createMysqlUnitOfWork } from './unit-of-work/unit-of-work.js';

const PREFIX = 'pet_';
let shared: Promise<Fixture> | undefined;
/** The file's one fresh database, shared by the contract and the interop tests. */
const fixture = (): Promise<Fixture> => {
  shared ??= openFixture(inject('mysqlUrl'), PREFIX, 20);
  return shared;
};
afterAll(async () => {
  await (await shared)?.close();
});

describeCrmContract('mariadb', async () => {
  const fx = await fixture();
  const dialect = mysqlDialect({ pool: fx.pool });
  // Kysely's end() would end the pool: the fixture ends it (after every describe).
  const db = new Kysely<never>({ dialect: dialect.kysely });
  return {
    db,
    dialect,
    prefix: PREFIX,
    client: () => ({ db, dialect, close: async () => undefined }),
    close: async () => undefined,
  };
});

describe('CRM interop with the adapter’s own code (mariadb)', () => {
  let fx: Fixture;
  const meta = { actor: { type: 'employee' as const, id: 'emp-interop' } };
  beforeAll(async () => {
    fx = await fixture();
  });
  const oldUnitOfWork = () =>
    createMysqlUnitOfWork({ pool: fx.pool, prefix: PREFIX, tables: CRM_STATE_TABLES });
  const seamUnitOfWork = () => {
    const dialect = mysqlDialect({ pool: fx.pool });
    const db = new Kysely<never>({ dialect: dialect.kysely });
    return createUnitOfWork({
      dialect,
      prefix: PREFIX,
      events: createEventStore({ db, dialect, prefix: PREFIX }),
      tables: STATE_TABLES,
    });
  };

  it('given a company written by the adapter’s createCrmCommands, when loaded through companiesTable, then the same state and version', async () => {
    const old = createMysqlCrmCommands({ runtime: runtimeOn(oldUnitOfWork()), prefix: PREFIX });
    const r = await old.insertCompanyWithSlots(
      { name: 'Interop', website: 'interop.example', externalId: 'io-1', ein: '9' },
      meta,
    );
    if (!r.ok) throw new Error(r.error.code);
    const id = r.value.companyId as string as Uuid;
    const viaOld = await oldUnitOfWork().run((s) => s.aggregate(companyDefinition).load(id));
    const viaSeam = await seamUnitOfWork().run((s) => s.aggregate(aggregateOf(companiesTable)).load(id));
    expect(viaSeam).toEqual(viaOld);
    expect(viaSeam.state).toMatchObject({ status: 'active', website: 'interop.example', externalId: 'io-1' });
  });

  it('given a person written by the seam’s createCrmCommands, when loaded through the adapter’s personDefinition, then the same state and version', async () => {
    const seam = createSeamCrmCommands({ runtime: runtimeOn(seamUnitOfWork()) });
    const personId = newId() as string as Crm.PersonId;
    const r = await seam.createPerson(
      personId,
      { name: 'Ada', email: 'ada@interop.example', linkedinUrl: 'https://www.linkedin.com/in/ada' },
      meta,
    );
    if (!r.ok) throw new Error(r.error.code);
    const id = personId as string as Uuid;
    const viaSeam = await seamUnitOfWork().run((s) => s.aggregate(aggregateOf(peopleTable)).load(id));
    const viaOld = await oldUnitOfWork().run((s) => s.aggregate(personDefinition).load(id));
    expect(viaOld).toEqual(viaSeam);
    expect(viaOld.state).toMatchObject({ status: 'active', email: 'ada@interop.example' });
  });
});
