/**
 * Shared set-up of the CRM and identity int tests (not a test file itself: the `.test.ts` suffix only
 * keeps it out of builds and the published package).
 */
import {
  type Actor,
  type CommandRuntime,
  Crm,
  createEventRegistry,
  type EventRegistry,
  Identity,
  runWorkflow,
  type UnitOfWork,
  type Uuid,
} from '@pet-ops/core';
import { fixedClock, sequentialIds } from '@pet-ops/core/testing';
import { type Fixture, openFixture } from '../event-store/fixtures.test.js';
import { IDENTITY_STATE_TABLES } from '../identity/definitions.js';
import { createMysqlUnitOfWork } from '../unit-of-work/unit-of-work.js';
import { companyBinding } from './bindings.js';
import { CRM_STATE_TABLES } from './definitions.js';
import { createCrmRepository } from './repository.js';

export const PREFIX = 'wp_';
export const ACTOR: Actor = { type: 'employee', id: 'emp-1' };

/** Identity and CRM events in one registry, as a host combines them. */
export const registry: EventRegistry = createEventRegistry({
  events: [...Identity.identityEventDefinitions, ...Crm.crmEventDefinitions],
});

/** Every identity and CRM state table. */
export const ALL_TABLES: Readonly<Record<string, string>> = { ...IDENTITY_STATE_TABLES, ...CRM_STATE_TABLES };

export interface CrmFixture extends Fixture {
  readonly unitOfWork: UnitOfWork;
  runtime(seed?: number, start?: string): CommandRuntime;
}

/** A fresh database with the schema, a pool and a MySQL unit of work over every identity/CRM table. */
export async function openCrmFixture(serverUrl: string, connectionLimit = 10): Promise<CrmFixture> {
  const fx = await openFixture(serverUrl, PREFIX, connectionLimit);
  const unitOfWork = createMysqlUnitOfWork({ pool: fx.pool, prefix: PREFIX, tables: ALL_TABLES });
  return {
    ...fx,
    unitOfWork,
    runtime: (seed = 0, start = '2026-11-22T10:00:00.000000Z') => ({
      unitOfWork,
      registry,
      clock: fixedClock(start, 1),
      ids: sequentialIds(seed),
      retry: { maxAttempts: 20 },
    }),
  };
}

/**
 * A company written through the company binding alone (as a host may), so it has no slots yet — what a
 * company that lost its slots looked like before the database refused DELETE. Returns its uid.
 */
export async function companyWithoutSlots(
  runtime: CommandRuntime,
  name: string,
  website: string,
): Promise<Crm.CompanyUid> {
  const companyId = runtime.ids.next() as unknown as Crm.CompanyId;
  const r = await runWorkflow(runtime, { actor: ACTOR }, async (w) => {
    const createdAt = runtime.clock.now();
    const companyUid = await createCrmRepository(PREFIX).allocateCompanyUid(w.scope, createdAt);
    return w.execute(companyBinding, {
      streamId: companyId as unknown as Uuid,
      command: {
        type: 'create',
        companyId,
        companyUid,
        createdAt,
        name,
        website,
        externalId: null,
        einRaw: null,
      },
    });
  });
  if (!r.ok || !('value' in r.value) || r.value.value.state.status === 'absent') {
    throw new Error('the company was not created');
  }
  return r.value.value.state.companyUid;
}
