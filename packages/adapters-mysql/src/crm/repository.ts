import { Crm, type Instant, parseInput, type UnitOfWorkScope } from '@pet-ops/core';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import type { Row } from '../internal/row-values.js';
import { uuidToBytes } from '../internal/uuid-bytes.js';
import { tablePrefixSchema } from '../prefix.js';
import { mysqlScopeQuery } from '../unit-of-work/unit-of-work.js';
import { companyDefinition, companySlotDefinition, personDefinition } from './definitions.js';

/** The uid kinds with a per-day sequence. */
export type UidKind = 'CO' | 'PE';

/** A state row decoded, with its stream version. */
export type Versioned<S> = S & { readonly version: number };

type Company = Exclude<Crm.CompanyState, { status: 'absent' }>;
type Slot = Exclude<Crm.CompanySlotState, { status: 'absent' }>;
type Person = Exclude<Crm.PersonState, { status: 'absent' }>;

/**
 * Reads and allocations of the CRM and organisation tables inside a MySQL unit of work (the scope's
 * transaction): every method takes the `scope` that `createMysqlUnitOfWork(…).run` hands out.
 */
export interface CrmRepository {
  /**
   * Allocates `count` consecutive sequence numbers of `kind` for the UTC day of `at` and returns the
   * first. One atomic `INSERT … ON DUPLICATE KEY UPDATE` on the (kind, day) counter row: concurrent
   * allocators serialise on that row until their transactions end, so no number is handed out twice,
   * and a rolled-back transaction gives its numbers back.
   */
  allocateSequence(scope: UnitOfWorkScope, kind: UidKind, at: Instant, count?: number): Promise<number>;
  /** The next company uid for the day of `at` (see {@link CrmRepository.allocateSequence}). */
  allocateCompanyUid(scope: UnitOfWorkScope, at: Instant): Promise<Crm.CompanyUid>;
  /** The next person uid for the day of `at`. */
  allocatePersonUid(scope: UnitOfWorkScope, at: Instant): Promise<Crm.PersonUid>;
  /** The company with this id (with its row version), or null. */
  companyById(scope: UnitOfWorkScope, id: Crm.CompanyId): Promise<Versioned<Company> | null>;
  /** The company with this `CO-YYYYMMDD-######` reference, or null. */
  companyByUid(scope: UnitOfWorkScope, uid: string): Promise<Versioned<Company> | null>;
  /**
   * By website host: the argument is normalised first (`https://www.Acme.com/x` finds `acme.com`); a key
   * stored before the host rule (`acme.com/x`) is found by its host (see `Crm.pickWebsiteMatch`).
   */
  companyByWebsite(scope: UnitOfWorkScope, website: string): Promise<Versioned<Company> | null>;
  /** The company with this external id (trimmed, then compared byte for byte), or null. */
  companyByExternalId(scope: UnitOfWorkScope, externalId: string): Promise<Versioned<Company> | null>;
  /** The person with this id, or null. */
  personById(scope: UnitOfWorkScope, id: Crm.PersonId): Promise<Versioned<Person> | null>;
  /** The person with this `PE-YYYYMMDD-######` reference, or null. */
  personByUid(scope: UnitOfWorkScope, uid: string): Promise<Versioned<Person> | null>;
  /** By e-mail; the argument is normalised first. */
  personByEmail(scope: UnitOfWorkScope, email: string): Promise<Versioned<Person> | null>;
  /** The company slot with this id, or null. */
  slotById(scope: UnitOfWorkScope, id: Crm.CompanySlotId): Promise<Versioned<Slot> | null>;
  /** The company slot with this `SL-<company uid>-<ROLE>` reference, or null. */
  slotByUid(scope: UnitOfWorkScope, uid: string): Promise<Versioned<Slot> | null>;
  /** A company's slots in role order (CEO, CFO, HR). */
  slotsOfCompany(scope: UnitOfWorkScope, companyId: Crm.CompanyId): Promise<Versioned<Slot>[]>;
  /** The slots a person fills or is proposed for. */
  slotsOfPerson(scope: UnitOfWorkScope, personId: Crm.PersonId): Promise<Versioned<Slot>[]>;
}

const ROLE_ORDER = "FIELD(role, 'CEO', 'CFO', 'HR')";

/**
 * The CRM repository for tables under `prefix`.
 *
 * @example
 * ```ts
 * const crm = createCrmRepository('wp_pet_');
 * const company = await uow.run((scope) => crm.companyByWebsite(scope, 'https://www.acme.com/'));
 * ```
 */
export function createCrmRepository(prefix: string): CrmRepository {
  const p = parseInput(tablePrefixSchema, prefix, 'table prefix');
  const t = (name: string): string => `\`${p}${name}\``;

  async function rows(scope: UnitOfWorkScope, sql: string, values: readonly unknown[]): Promise<Row[]> {
    return mysqlScopeQuery(scope)<RowDataPacket[]>(sql, values);
  }

  function decodeWith<S>(decode: (r: unknown) => S) {
    return (r: Row): Versioned<S> => ({ ...decode(r), version: Number(r['version']) }) as Versioned<S>;
  }
  const company = decodeWith((r) => companyDefinition.decode(r) as Company);
  const slot = decodeWith((r) => companySlotDefinition.decode(r) as Slot);
  const person = decodeWith((r) => personDefinition.decode(r) as Person);

  async function one<S>(
    scope: UnitOfWorkScope,
    table: string,
    column: string,
    value: unknown,
    decode: (r: Row) => S,
  ): Promise<S | null> {
    const found = await rows(scope, `SELECT * FROM ${t(table)} WHERE \`${column}\` = ? LIMIT 1`, [value]);
    return found[0] === undefined ? null : decode(found[0]);
  }

  const sequence = async (scope: UnitOfWorkScope, kind: UidKind, at: Instant, count = 1): Promise<number> => {
    const n = parseInput(countSchema, count, 'uid allocation count');
    const res = await mysqlScopeQuery(scope)<ResultSetHeader>(
      `INSERT INTO ${t('uid_sequences')} (kind, day, last_sequence) VALUES (?, ?, LAST_INSERT_ID(?)) ` +
        'ON DUPLICATE KEY UPDATE last_sequence = LAST_INSERT_ID(last_sequence + ?)',
      [kind, Crm.uidDay(at), n, n],
    );
    const last = Number(res.insertId);
    // formatCompanyUid/formatPersonUid refuse numbers past 999 999 (the day's range is spent).
    return last - n + 1;
  };

  return {
    allocateSequence: sequence,
    allocateCompanyUid: async (scope, at) => Crm.formatCompanyUid(at, await sequence(scope, 'CO', at)),
    allocatePersonUid: async (scope, at) => Crm.formatPersonUid(at, await sequence(scope, 'PE', at)),
    companyById: (scope, id) => one(scope, 'companies', 'id', uuidToBytes(id), company),
    companyByUid: (scope, uid) => one(scope, 'companies', 'company_uid', uid, company),
    companyByWebsite: async (scope, website) => {
      const normalised = typeof website === 'string' ? Crm.normalizeWebsite(website) : null;
      if (normalised === null || !normalised.ok) return null;
      // The host key, or a key stored before the host rule with a path or port (hosts need no LIKE escape).
      const host = normalised.value;
      const found = await rows(
        scope,
        `SELECT * FROM ${t('companies')} WHERE website = ? OR website LIKE ? OR website LIKE ?`,
        [host, `${host}/%`, `${host}:%`],
      );
      return Crm.pickWebsiteMatch(found.map(company), host);
    },
    companyByExternalId: (scope, externalId) =>
      one(scope, 'companies', 'external_id', externalId.trim(), company),
    personById: (scope, id) => one(scope, 'people', 'id', uuidToBytes(id), person),
    personByUid: (scope, uid) => one(scope, 'people', 'person_uid', uid, person),
    personByEmail: async (scope, email) => {
      const normalised = Crm.normalizeEmail(email);
      return normalised.ok ? one(scope, 'people', 'email', normalised.value, person) : null;
    },
    slotById: (scope, id) => one(scope, 'company_slots', 'id', uuidToBytes(id), slot),
    slotByUid: (scope, uid) => one(scope, 'company_slots', 'slot_uid', uid, slot),
    slotsOfCompany: async (scope, companyId) =>
      (
        await rows(scope, `SELECT * FROM ${t('company_slots')} WHERE company_id = ? ORDER BY ${ROLE_ORDER}`, [
          uuidToBytes(companyId),
        ])
      ).map(slot),
    slotsOfPerson: async (scope, personId) =>
      (
        await rows(
          scope,
          `SELECT * FROM ${t('company_slots')} WHERE person_id = ? AND state IN ('pending', 'filled') ORDER BY slot_uid`,
          [uuidToBytes(personId)],
        )
      ).map(slot),
  };
}

const countSchema = z.number().int().min(1).max(Crm.MAX_DAILY_SEQUENCE);
