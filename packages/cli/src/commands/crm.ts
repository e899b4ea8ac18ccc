import { type CommandMetadata, createPetRegistry, type Rejection, type Result } from '@pet-ops/core';
import {
  type CrmCommands,
  createCrmCommands,
  createEventStore,
  createUnitOfWork,
  STATE_TABLES,
  systemClock,
  uuidV7Ids,
} from '@pet-ops/sql';
import type { Command } from 'commander';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { CliFailure } from '../failure.js';
import { withDatabaseOf } from '../target.js';
import type { CommandContext, Session } from './context.js';

/** Who the CLI's CRM events are attributed to. */
const METADATA: CommandMetadata = { actor: { type: 'system', id: 'pet-cli' } };

/** Rejections that name something that does not exist: exit 6 (not found); every other one is exit 7. */
const NOT_FOUND = new Set(['PERSON_UID_UNKNOWN', 'SLOT_UID_UNKNOWN', 'SLOT_NOT_FOUND']);

/** Runs `work` with the CRM commands of the target database. */
function withCrm<T>(ctx: CommandContext, work: (crm: CrmCommands) => Promise<T>): Promise<T> {
  return withDatabaseOf(ctx.target, ({ db, dialect }) => {
    const prefix = ctx.target.prefix;
    const events = createEventStore({ db, dialect, prefix });
    const unitOfWork = createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES });
    const crm = createCrmCommands({
      runtime: { unitOfWork, registry: createPetRegistry(), clock: systemClock, ids: uuidV7Ids },
    });
    return work(crm);
  });
}

/** The value of an accepted command, or the one-line failure of its rejection (code and message). */
function accepted<T>(r: Result<T, Rejection<string>>): T {
  if (r.ok) return r.value;
  throw new CliFailure(
    r.error.code,
    `${r.error.code}: ${r.error.message}`,
    NOT_FOUND.has(r.error.code) ? EXIT.notFound : EXIT.invalidInput,
  );
}

interface CompanyOptions {
  readonly name: string;
  readonly website?: string;
  readonly externalId?: string;
  readonly ein?: string;
}

interface PersonOptions {
  readonly name: string;
  readonly email?: string;
  readonly linkedinUrl?: string;
}

async function addCompany(ctx: CommandContext, o: CompanyOptions): Promise<ExitCode> {
  const r = accepted(
    await withCrm(ctx, (crm) =>
      crm.insertCompanyWithSlots(
        { name: o.name, website: o.website ?? null, externalId: o.externalId ?? null, ein: o.ein ?? null },
        METADATA,
      ),
    ),
  );
  const slots = ['CEO', 'CFO', 'HR'].map((role) => `SL-${r.companyUid}-${role}`);
  ctx.out.data({ ...r, slotUids: slots });
  ctx.out.line(
    r.result === 'created'
      ? `created company ${r.companyUid} with slots ${slots.join(', ')}`
      : `company ${r.companyUid} already exists (matched by ${r.matchedBy}); nothing changed${
          r.openedSlotRoles.length > 0
            ? ` but its missing slots ${r.openedSlotRoles.join(', ')} were opened`
            : ''
        }`,
  );
  return EXIT.ok;
}

async function addPerson(ctx: CommandContext, o: PersonOptions): Promise<ExitCode> {
  const r = accepted(
    await withCrm(ctx, (crm) =>
      crm.insertPerson(
        { name: o.name, email: o.email ?? null, linkedinUrl: o.linkedinUrl ?? null },
        METADATA,
      ),
    ),
  );
  ctx.out.data(r);
  ctx.out.line(
    r.result === 'created'
      ? `created person ${r.personUid}`
      : `person ${r.personUid} already exists (same e-mail); nothing changed`,
  );
  return EXIT.ok;
}

async function link(ctx: CommandContext, personUid: string, slotUid: string): Promise<ExitCode> {
  const r = accepted(await withCrm(ctx, (crm) => crm.linkPersonToSlotByUid(personUid, slotUid, METADATA)));
  ctx.out.data({ personUid, slotUid, status: r.state.status, changed: r.events.length > 0 });
  ctx.out.line(
    r.events.length > 0
      ? `linked ${personUid} to ${slotUid}`
      : `${personUid} already fills ${slotUid}; nothing changed`,
  );
  return EXIT.ok;
}

async function vacate(ctx: CommandContext, slotUid: string): Promise<ExitCode> {
  const r = accepted(await withCrm(ctx, (crm) => crm.vacateSlotByUid(slotUid, METADATA)));
  ctx.out.data({ slotUid, status: r.state.status });
  ctx.out.line(`vacated ${slotUid}`);
  return EXIT.ok;
}

/** `pet crm company add`, `pet crm person add`, `pet crm link <person_uid> <slot_uid>`, `pet crm vacate <slot_uid>`. */
export function crmCommand(program: Command, session: Session): void {
  const crm = program.command('crm').description('add companies and people, link people to company slots');
  const company = crm.command('company').description('companies (each with a CEO, CFO and HR slot)');
  company
    .command('add')
    .description(
      'add a company with its three slots (CEO, CFO, HR). Idempotent: a company with the same website host ' +
        '(https://www.Acme.com/x is acme.com) or external id is reported, not duplicated',
    )
    .requiredOption('--name <name>', 'the company name')
    .option(
      '--website <url>',
      'its website; the key is the host (scheme, www., port, path and query dropped)',
    )
    .option('--external-id <id>', "a source system's id, e.g. Apollo's company id")
    .option('--ein <ein>', 'the EIN as written')
    .action(async (o: CompanyOptions, cmd: Command) => {
      session.finish(await addCompany(session.context(cmd), o));
    });
  const person = crm.command('person').description('people');
  person
    .command('add')
    .description(
      'add a person with a PE-… uid. Idempotent by e-mail: a person with the same e-mail is reported',
    )
    .requiredOption('--name <name>', 'the full name')
    .option('--email <email>', 'the e-mail address (the key a re-run finds the person by)')
    .option('--linkedin-url <url>', 'a linkedin.com profile URL')
    .action(async (o: PersonOptions, cmd: Command) => {
      session.finish(await addPerson(session.context(cmd), o));
    });
  crm
    .command('link')
    .description(
      'link a person to a company slot (open or pending → filled); a slot held by someone else must be vacated first',
    )
    .argument('<person_uid>', 'the person, PE-YYYYMMDD-######')
    .argument('<slot_uid>', 'the slot, SL-<company uid>-<CEO|CFO|HR>')
    .action(async (personUid: string, slotUid: string, _o: unknown, cmd: Command) => {
      session.finish(await link(session.context(cmd), personUid, slotUid));
    });
  crm
    .command('vacate')
    .description('empty a company slot (pending or filled → open)')
    .argument('<slot_uid>', 'the slot, SL-<company uid>-<CEO|CFO|HR>')
    .action(async (slotUid: string, _o: unknown, cmd: Command) => {
      session.finish(await vacate(session.context(cmd), slotUid));
    });
}
