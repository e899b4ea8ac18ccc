import {
  err,
  type Instant,
  ok,
  type Rejection,
  type Result,
  reject,
  ValidationError,
} from '../kernel/index.js';
import type { CreateCompany } from './company/commands.js';
import type { OpenSlot } from './company-slot/commands.js';
import type { CompanyId, CompanySlotId, PersonId } from './ids.js';
import type { CreatePerson } from './person/commands.js';
import type { PersonUid } from './uids.js';
import { type CompanyUid, SLOT_ROLES, type SlotRole } from './uids.js';
import {
  checkLinkedinUrl,
  type NormalizedEmail,
  type NormalizedWebsite,
  normalizeEmail,
  normalizeWebsite,
} from './values.js';

/** One CSV row's raw fields (missing columns are `undefined`). */
export interface CompanyIntakeRow {
  readonly name?: string | undefined;
  readonly website?: string | undefined;
  readonly externalId?: string | undefined;
  readonly ein?: string | undefined;
}

/** A row that passed validation: trimmed name, normalised website, empty fields as `null`. */
export interface CompanyIntake {
  readonly name: string;
  readonly website: NormalizedWebsite | null;
  readonly externalId: string | null;
  readonly einRaw: string | null;
}

/**
 * Why an intake row was dead-lettered (stable codes, stored in the dead-letter table's `reason`):
 * - `MISSING_NAME` — the name is empty.
 * - `MALFORMED_WEBSITE` — the website does not normalise.
 * - `MISSING_KEY` — neither a website nor an external id: the company could not be found again, so an
 *   idempotent insert (and a re-run of the same file) would duplicate it.
 * - `FIELD_TOO_LONG` — a field exceeds its column (name 255, external id 128, EIN 64).
 * - `DUPLICATE_IN_FILE` — an earlier row of the same file has the same website or external id (people:
 *   the same e-mail).
 * - `UNPARSEABLE_LINE` — the CSV parser could not read the line (reported by the reader).
 * - `MALFORMED_EMAIL` — (people) the e-mail does not look like `local@domain.tld`.
 * - `MALFORMED_LINKEDIN_URL` — (people) the LinkedIn URL is not a `linkedin.com` address.
 *
 * People rows use `MISSING_NAME`, `MISSING_KEY` (no e-mail: the person could not be found again),
 * `FIELD_TOO_LONG`, `DUPLICATE_IN_FILE` and `UNPARSEABLE_LINE` in the same sense.
 */
export type IntakeRejectionCode =
  | 'MISSING_NAME'
  | 'MALFORMED_WEBSITE'
  | 'MISSING_KEY'
  | 'FIELD_TOO_LONG'
  | 'DUPLICATE_IN_FILE'
  | 'UNPARSEABLE_LINE'
  | 'MALFORMED_EMAIL'
  | 'MALFORMED_LINKEDIN_URL';

/** A dead-lettered row's reason. */
export type IntakeRejection = Rejection<IntakeRejectionCode>;

/**
 * Every intake rejection code.
 *
 * @example
 * ```ts
 * const known = (INTAKE_REJECTION_CODES as readonly string[]).includes(deadLetter.reason);
 * ```
 */
export const INTAKE_REJECTION_CODES: readonly IntakeRejectionCode[] = [
  'MISSING_NAME',
  'MALFORMED_WEBSITE',
  'MISSING_KEY',
  'FIELD_TOO_LONG',
  'DUPLICATE_IN_FILE',
  'UNPARSEABLE_LINE',
  'MALFORMED_EMAIL',
  'MALFORMED_LINKEDIN_URL',
];

/**
 * The shape of a {@link CompanyIntakeRow}: an object of optional strings (the rules are the rejections of
 * {@link validateCompanyIntakeRow}). Checked by hand: an import checks every row of a large file.
 */
function checkRowShape(
  row: unknown,
  what = 'company intake row',
  fields: readonly string[] = ['name', 'website', 'externalId', 'ein'],
): void {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw new ValidationError(what, [{ field: 'row', rule: 'must be an object' }]);
  }
  const r = row as Record<string, unknown>;
  const issues = fields
    .filter((f) => r[f] !== undefined && typeof r[f] !== 'string')
    .map((field) => ({ field, rule: 'must be a string' }));
  if (issues.length > 0) throw new ValidationError(what, issues);
}

const text = (value: string | undefined): string | null => {
  const t = value?.trim() ?? '';
  return t === '' ? null : t;
};

/**
 * Validates one intake row: a name is required, a present website must normalise, a website or an
 * external id must identify the company, fields must fit their columns. Pure; the same row always
 * gives the same answer.
 *
 * @example
 * ```ts
 * validateCompanyIntakeRow({ name: 'Acme', website: 'https://www.acme.com/' });
 * // { ok: true, value: { name: 'Acme', website: 'acme.com', externalId: null, einRaw: null } }
 * ```
 */
export function validateCompanyIntakeRow(row: CompanyIntakeRow): Result<CompanyIntake, IntakeRejection> {
  checkRowShape(row);
  const name = text(row.name);
  if (name === null) return err(reject('MISSING_NAME', 'the company name is empty'));
  const externalId = text(row.externalId);
  const einRaw = text(row.ein);
  const tooLong = (field: string, max: number, value: string | null) =>
    value !== null && value.length > max
      ? err(reject('FIELD_TOO_LONG', `${field} is longer than ${max} characters`, { field, max }))
      : undefined;
  const long =
    tooLong('name', 255, name) ?? tooLong('externalId', 128, externalId) ?? tooLong('ein', 64, einRaw);
  if (long !== undefined) return long;
  const rawSite = text(row.website);
  let website: NormalizedWebsite | null = null;
  if (rawSite !== null) {
    const r = normalizeWebsite(rawSite);
    if (!r.ok) return err(reject('MALFORMED_WEBSITE', r.error.message, { website: rawSite }));
    website = r.value;
  }
  if (website === null && externalId === null) {
    return err(
      reject('MISSING_KEY', 'a website or an external id is needed to recognise the company on a re-run'),
    );
  }
  return ok({ name, website, externalId, einRaw });
}

/**
 * The keys under which two rows are the same company: its normalised website and its external id.
 *
 * @example `intakeKeys(intake)` → `['website:acme.example', 'external:42']`
 */
export function intakeKeys(intake: CompanyIntake): string[] {
  const keys: string[] = [];
  if (intake.website !== null) keys.push(`website:${intake.website}`);
  if (intake.externalId !== null) keys.push(`external:${intake.externalId}`);
  return keys;
}

/** Remembers the rows of one file to flag duplicates within it. */
export interface InFileDuplicates {
  /**
   * The number of an earlier row with the same website or external id, or `null` (then this row's keys
   * are remembered).
   */
  check(intake: CompanyIntake, rowNumber: number): number | null;
}

/**
 * Tracks duplicates within one file, in row order (memory grows with the number of distinct keys).
 *
 * @example
 * ```ts
 * const dups = inFileDuplicates();
 * dups.check(a, 2); // null
 * dups.check(sameWebsiteAsA, 7); // 2
 * ```
 */
export function inFileDuplicates(): InFileDuplicates {
  const firstRow = new Map<string, number>();
  return {
    check: (intake, rowNumber) => {
      const keys = intakeKeys(intake);
      for (const k of keys) {
        const earlier = firstRow.get(k);
        if (earlier !== undefined) return earlier;
      }
      for (const k of keys) firstRow.set(k, rowNumber);
      return null;
    },
  };
}

/** An existing company found by website or external id, with the roles of the slots it has. */
export interface ExistingCompany {
  readonly companyId: CompanyId;
  readonly companyUid: CompanyUid;
  readonly slotRoles: readonly SlotRole[];
}

/** What `insertCompanyWithSlots` does for one intake: create a company, or report the existing one (and ensure its slots). */
export type CompanyIntakePlan =
  | { readonly kind: 'create'; readonly intake: CompanyIntake }
  | {
      readonly kind: 'exists';
      readonly companyId: CompanyId;
      readonly companyUid: CompanyUid;
      readonly matchedBy: 'website' | 'externalId';
      /** Slots to open so the company has all three (empty when it has them). */
      readonly missingSlotRoles: readonly SlotRole[];
    };

/** The roles (canonical order) not in `present`. @example `missingSlotRoles(['CFO'])` → `['CEO', 'HR']` */
export function missingSlotRoles(present: readonly SlotRole[]): SlotRole[] {
  return SLOT_ROLES.filter((r) => !present.includes(r));
}

/**
 * Decides an idempotent insert: a company found by normalised website (first) or by external id is
 * returned as `exists` — never changed — with the slots it lacks; otherwise `create`. The application
 * looks up both matches in the same transaction and relies on the unique keys for races.
 *
 * @example
 * ```ts
 * planCompanyIntake(intake, { byWebsite: null, byExternalId: acme }); // { kind: 'exists', matchedBy: 'externalId', … }
 * ```
 */
export function planCompanyIntake(
  intake: CompanyIntake,
  matches: { readonly byWebsite: ExistingCompany | null; readonly byExternalId: ExistingCompany | null },
): CompanyIntakePlan {
  const found =
    intake.website !== null && matches.byWebsite !== null
      ? { company: matches.byWebsite, matchedBy: 'website' as const }
      : intake.externalId !== null && matches.byExternalId !== null
        ? { company: matches.byExternalId, matchedBy: 'externalId' as const }
        : null;
  if (found === null) return { kind: 'create', intake };
  return {
    kind: 'exists',
    companyId: found.company.companyId,
    companyUid: found.company.companyUid,
    matchedBy: found.matchedBy,
    missingSlotRoles: missingSlotRoles(found.company.slotRoles),
  };
}

/**
 * The commands that create a company and its three slots from an intake and the allocated ids and uid.
 *
 * @example
 * ```ts
 * const { company, slots } = companyCreationCommands(intake, { companyId, companyUid, createdAt, slotId: () => ids.next() });
 * ```
 */
export function companyCreationCommands(
  intake: CompanyIntake,
  allocated: {
    readonly companyId: CompanyId;
    readonly companyUid: CompanyUid;
    readonly createdAt: Instant;
    /** A fresh id for the slot of each role (e.g. `() => ids.next()`). */
    readonly slotId: (role: SlotRole) => CompanySlotId;
  },
): { readonly company: CreateCompany; readonly slots: readonly OpenSlot[] } {
  return {
    company: {
      type: 'create',
      companyId: allocated.companyId,
      companyUid: allocated.companyUid,
      createdAt: allocated.createdAt,
      name: intake.name,
      website: intake.website,
      externalId: intake.externalId,
      einRaw: intake.einRaw,
    },
    slots: slotOpenCommands(allocated.companyId, allocated.companyUid, SLOT_ROLES, allocated.slotId),
  };
}

/** `open` commands for the given roles of a company (e.g. a plan's `missingSlotRoles`). @example `slotOpenCommands(id, uid, ['HR'], () => ids.next())` */
export function slotOpenCommands(
  companyId: CompanyId,
  companyUid: CompanyUid,
  roles: readonly SlotRole[],
  slotId: (role: SlotRole) => CompanySlotId,
): OpenSlot[] {
  return roles.map((role) => ({ type: 'open', slotId: slotId(role), companyId, companyUid, role }));
}

/** One people CSV row's raw fields (missing columns are `undefined`). */
export interface PersonIntakeRow {
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly linkedinUrl?: string | undefined;
}

/** A people row that passed validation: trimmed name, normalised e-mail (the key), LinkedIn URL or `null`. */
export interface PersonIntake {
  readonly name: string;
  readonly email: NormalizedEmail;
  readonly linkedinUrl: string | null;
}

/**
 * Validates one people intake row: a name (at most 255 characters) and an e-mail are required — the
 * e-mail is the key under which a re-run finds the person (`MISSING_KEY` without one) — and a present
 * LinkedIn URL must be a `linkedin.com` address. Pure.
 *
 * @example
 * ```ts
 * validatePersonIntakeRow({ name: ' Ada ', email: 'Ada@Example.com' });
 * // { ok: true, value: { name: 'Ada', email: 'ada@example.com', linkedinUrl: null } }
 * ```
 */
export function validatePersonIntakeRow(row: PersonIntakeRow): Result<PersonIntake, IntakeRejection> {
  checkRowShape(row, 'person intake row', ['name', 'email', 'linkedinUrl']);
  const name = text(row.name);
  if (name === null) return err(reject('MISSING_NAME', 'the person name is empty'));
  if (name.length > 255)
    return err(reject('FIELD_TOO_LONG', 'name is longer than 255 characters', { field: 'name', max: 255 }));
  const rawEmail = text(row.email);
  if (rawEmail === null)
    return err(reject('MISSING_KEY', 'an e-mail is needed to recognise the person on a re-run'));
  const email = normalizeEmail(rawEmail);
  // The message does not echo the address (personal data stays out of logs).
  if (!email.ok) return err(reject('MALFORMED_EMAIL', 'malformed e-mail address'));
  const rawLinkedin = text(row.linkedinUrl);
  let linkedinUrl: string | null = null;
  if (rawLinkedin !== null) {
    const r = checkLinkedinUrl(rawLinkedin);
    if (!r.ok) return err(reject('MALFORMED_LINKEDIN_URL', r.error.message));
    linkedinUrl = r.value;
  }
  return ok({ name, email: email.value, linkedinUrl });
}

/**
 * The `create` command of a person from an intake and the allocated id and uid.
 *
 * @example
 * ```ts
 * const command = personCreationCommand(intake, { personId, personUid, createdAt });
 * ```
 */
export function personCreationCommand(
  intake: PersonIntake,
  allocated: { readonly personId: PersonId; readonly personUid: PersonUid; readonly createdAt: Instant },
): CreatePerson {
  return {
    type: 'create',
    personId: allocated.personId,
    personUid: allocated.personUid,
    createdAt: allocated.createdAt,
    name: intake.name,
    email: intake.email,
    linkedinUrl: intake.linkedinUrl,
  };
}
