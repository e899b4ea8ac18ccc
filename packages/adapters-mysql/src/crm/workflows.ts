import {
  type CommandMetadata,
  type CommandOutcome,
  type CommandRuntime,
  Crm,
  createCommandHandler,
  isPetError,
  ok,
  parseInput,
  type Result,
  runWorkflow,
  type UnitOfWorkScope,
  type Uuid,
  uuidSchema,
} from '@pet-ops/core';
import { z } from 'zod';
import { companyBinding, companySlotBinding, personBinding } from './bindings.js';
import { companyDefinition, personDefinition } from './definitions.js';
import { type CrmRepository, createCrmRepository } from './repository.js';

/** The fields of a company to insert (raw; the website is normalised). */
export interface CompanyInput {
  readonly name: string;
  readonly website?: string | null;
  readonly externalId?: string | null;
  readonly ein?: string | null;
}

/** What {@link CrmCommands.insertCompanyWithSlots} did. */
export interface InsertCompanyResult {
  /** `created`: a new company and its three slots; `exists`: found by website, then external id. */
  readonly result: 'created' | 'exists';
  readonly companyId: Crm.CompanyId;
  readonly companyUid: Crm.CompanyUid;
  /** How an existing company was found. */
  readonly matchedBy: 'website' | 'externalId' | null;
  /** The slots opened by this call (all three on `created`; the missing ones on `exists`). */
  readonly openedSlotRoles: readonly Crm.SlotRole[];
}

/** Any rejection of an insert: a bad row, or the company/slot deciders' own. */
export type InsertCompanyRejection = Crm.IntakeRejection | Crm.CompanyRejection | Crm.CompanySlotRejection;

/** The fields of a person to create (raw; the e-mail is normalised). */
export interface PersonInput {
  readonly name: string;
  readonly email?: string | null;
  readonly linkedinUrl?: string | null;
}

/** The CRM operations on MySQL. */
export interface CrmCommands {
  /**
   * Idempotent: a company found by normalised website, then by external id, is returned (`exists`) with
   * its three slots ensured; otherwise the company (with a fresh `CO-…` uid) and its three slots are
   * created in one transaction (`created`). Concurrent inserts of the same company converge on one.
   */
  insertCompanyWithSlots(
    input: CompanyInput,
    metadata: CommandMetadata,
  ): Promise<Result<InsertCompanyResult, InsertCompanyRejection>>;
  /** Creates a person with a fresh `PE-…` uid. */
  createPerson(
    personId: Crm.PersonId,
    input: PersonInput,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Crm.PersonState>, Crm.PersonRejection>>;
  /** Links a person to a slot (open | pending → filled; a filled slot must be vacated first). */
  linkPersonToSlot(
    slotId: Crm.CompanySlotId,
    personId: Crm.PersonId,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Crm.CompanySlotState>, Crm.CompanySlotRejection>>;
  /** Proposes a candidate for an open slot (open → pending). */
  proposePersonForSlot(
    slotId: Crm.CompanySlotId,
    personId: Crm.PersonId,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Crm.CompanySlotState>, Crm.CompanySlotRejection>>;
  /** Empties a slot (pending | filled → open). */
  vacateSlot(
    slotId: Crm.CompanySlotId,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Crm.CompanySlotState>, Crm.CompanySlotRejection>>;
  /** The repository the commands use (queries inside a unit of work). */
  readonly repository: CrmRepository;
}

/** The shape of a {@link CompanyInput} (its values are checked by the intake rules). */
const companyInputSchema = z.object({
  name: z.string(),
  website: z.string().nullish(),
  externalId: z.string().nullish(),
  ein: z.string().nullish(),
});
/** The shape of a {@link PersonInput} (its values are checked by the person decider). */
const personInputSchema = z.object({
  name: z.string(),
  email: z.string().nullish(),
  linkedinUrl: z.string().nullish(),
});
/** A person id as a command names it. */
const personIdSchema = uuidSchema;

/** A branded CRM id as the stream id it is. */
const stream = (id: string): Uuid => id as unknown as Uuid;

/** Unique keys whose violation means "a concurrent insert of the same company won": retry and find it. */
const CONVERGING_KEYS = new Set(['uq_website', 'uq_external_id', 'uq_company_role', 'uq_slot_uid']);
const MAX_CONVERGE_ATTEMPTS = 4;

/**
 * Slot facts loaded in the slot command's transaction: the person's and the company's status.
 * An absent person or company gives no facts, which the decider refuses (`SLOT_FACTS_MISSING`).
 */
async function slotFacts(
  scope: UnitOfWorkScope,
  personId: Crm.PersonId,
  slot: Crm.CompanySlotState,
): Promise<Crm.CompanySlotFacts | undefined> {
  if (slot.status === 'absent') return undefined;
  const person = (await scope.aggregate(personDefinition).load(stream(personId))).state;
  const company = (await scope.aggregate(companyDefinition).load(stream(slot.companyId))).state;
  if (person.status === 'absent' || company.status === 'absent') return undefined;
  return {
    person: { personId, status: person.status },
    company: { companyId: slot.companyId, status: company.status },
  };
}

/**
 * The CRM operations for a host: `runtime.unitOfWork` must be a MySQL unit of work whose `tables`
 * include {@link CRM_STATE_TABLES}, over tables under `prefix`.
 *
 * @example
 * ```ts
 * const unitOfWork = createMysqlUnitOfWork({ pool, prefix, tables: CRM_STATE_TABLES });
 * const crm = createCrmCommands({ runtime: { unitOfWork, registry, clock: systemClock, ids: uuidV7Ids }, prefix });
 * const r = await crm.insertCompanyWithSlots({ name: 'Acme', website: 'acme.com' }, { actor });
 * if (r.ok) console.log(r.value.result, r.value.companyUid);
 * ```
 */
export function createCrmCommands(options: {
  readonly runtime: CommandRuntime;
  readonly prefix: string;
}): CrmCommands {
  const { runtime } = options;
  const repository = createCrmRepository(options.prefix);
  const slots = createCommandHandler(runtime, companySlotBinding);

  async function insertOnce(
    input: CompanyInput,
    metadata: CommandMetadata,
  ): Promise<Result<InsertCompanyResult, InsertCompanyRejection>> {
    const valid = Crm.validateCompanyIntakeRow({
      name: input.name,
      website: input.website ?? undefined,
      externalId: input.externalId ?? undefined,
      ein: input.ein ?? undefined,
    });
    if (!valid.ok) return valid;
    const intake = valid.value;
    const r = await runWorkflow<InsertCompanyResult, InsertCompanyRejection>(runtime, metadata, async (w) => {
      const existing = async (found: { companyId: Crm.CompanyId; companyUid: Crm.CompanyUid } | null) =>
        found === null
          ? null
          : {
              companyId: found.companyId,
              companyUid: found.companyUid,
              slotRoles: (await repository.slotsOfCompany(w.scope, found.companyId)).map((s) => s.role),
            };
      const byWebsite =
        intake.website === null
          ? null
          : await existing(await repository.companyByWebsite(w.scope, intake.website));
      const byExternalId =
        intake.externalId === null || byWebsite !== null
          ? null
          : await existing(await repository.companyByExternalId(w.scope, intake.externalId));
      const plan = Crm.planCompanyIntake(intake, { byWebsite, byExternalId });
      const slotId = () => runtime.ids.next() as unknown as Crm.CompanySlotId;
      if (plan.kind === 'exists') {
        for (const command of Crm.slotOpenCommands(
          plan.companyId,
          plan.companyUid,
          plan.missingSlotRoles,
          slotId,
        )) {
          const opened = await w.execute(companySlotBinding, { streamId: stream(command.slotId), command });
          if (!opened.ok) return opened;
        }
        return ok({
          result: 'exists',
          companyId: plan.companyId,
          companyUid: plan.companyUid,
          matchedBy: plan.matchedBy,
          openedSlotRoles: plan.missingSlotRoles,
        });
      }
      const createdAt = runtime.clock.now();
      const companyId = runtime.ids.next() as unknown as Crm.CompanyId;
      const companyUid = await repository.allocateCompanyUid(w.scope, createdAt);
      const commands = Crm.companyCreationCommands(intake, { companyId, companyUid, createdAt, slotId });
      const created = await w.execute(companyBinding, {
        streamId: stream(companyId),
        command: commands.company,
      });
      if (!created.ok) return created;
      for (const command of commands.slots) {
        const opened = await w.execute(companySlotBinding, { streamId: stream(command.slotId), command });
        if (!opened.ok) return opened;
      }
      return ok({
        result: 'created',
        companyId,
        companyUid,
        matchedBy: null,
        openedSlotRoles: commands.slots.map((s) => s.role),
      });
    });
    if (!r.ok) return r;
    if (r.value.duplicate) {
      // A resent idempotency key: the first run committed, so the company is found now.
      const { idempotencyKey: _resent, ...fresh } = metadata;
      return insertOnce(input, fresh);
    }
    return ok(r.value.value);
  }

  return {
    repository,
    async insertCompanyWithSlots(input, metadata) {
      parseInput(companyInputSchema, input, 'company input');
      for (let attempt = 1; ; attempt++) {
        try {
          return await insertOnce(input, metadata);
        } catch (e) {
          const key = isPetError(e) && e.code === 'DUPLICATE_KEY' ? String(e.details?.['key']) : '';
          if (!CONVERGING_KEYS.has(key) || attempt >= MAX_CONVERGE_ATTEMPTS) throw e;
        }
      }
    },
    async createPerson(personId, input, metadata) {
      parseInput(personIdSchema, personId, 'person id');
      parseInput(personInputSchema, input, 'person input');
      const createdAt = runtime.clock.now();
      return runWorkflow(runtime, metadata, async (w) => {
        const personUid = await repository.allocatePersonUid(w.scope, createdAt);
        return w.execute(personBinding, {
          streamId: stream(personId),
          command: {
            type: 'create',
            personId,
            personUid,
            createdAt,
            name: input.name,
            email: input.email ?? null,
            linkedinUrl: input.linkedinUrl ?? null,
          },
        });
      }).then(async (r) => {
        if (!r.ok) return r;
        if (!r.value.duplicate) return ok(r.value.value);
        const current = await runtime.unitOfWork.run((scope) =>
          scope.aggregate(personDefinition).load(stream(personId)),
        );
        return ok({
          events: r.value.events,
          positions: r.value.events.map((e) => e.position),
          state: current.state,
          version: current.version,
          duplicate: true,
        });
      });
    },
    linkPersonToSlot: async (slotId, personId, metadata) =>
      slots({
        streamId: stream(slotId),
        command: { type: 'link', personId },
        loadFacts: (scope, loaded) => slotFacts(scope, personId, loaded.state),
        metadata,
      }),
    proposePersonForSlot: async (slotId, personId, metadata) =>
      slots({
        streamId: stream(slotId),
        command: { type: 'propose', personId },
        loadFacts: (scope, loaded) => slotFacts(scope, personId, loaded.state),
        metadata,
      }),
    vacateSlot: (slotId, metadata) =>
      slots({ streamId: stream(slotId), command: { type: 'vacate' }, metadata }),
  };
}
