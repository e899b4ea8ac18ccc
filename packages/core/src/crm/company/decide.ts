import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { companyUidSchema, dailyUidParts, uidDay } from '../uids.js';
import { type NormalizedWebsite, normalizeWebsite } from '../values.js';
import { type CompanyCommand, companyCommandSchema } from './commands.js';
import type { CompanyChanges, CompanyEvent } from './events.js';
import type { CompanyRejection } from './rejections.js';
import type { CompanyState } from './state.js';

type Decision = Result<readonly CompanyEvent[], CompanyRejection>;

/** Empty optional text counts as absent. */
const orNull = (value: string | null): string | null =>
  value === null || value.trim() === '' ? null : value.trim();

function website(raw: string | null): Result<NormalizedWebsite | null, CompanyRejection> {
  if (raw === null || raw.trim() === '') return ok(null);
  const r = normalizeWebsite(raw);
  return r.ok ? r : err(reject('COMPANY_WEBSITE_MALFORMED', r.error.message, { website: raw }));
}

/**
 * Decides a company command. Rules: a name is required; the website is stored normalised (malformed
 * ones are refused); the uid is well-formed and dated on the creation day (UTC); archived is immutable.
 * Uniqueness of website and external id is checked before creation (see `planCompanyIntake`) and by
 * the database's unique keys.
 *
 * @example
 * ```ts
 * decideCompany({ type: 'create', companyId, companyUid, createdAt, name: 'Acme', website: 'https://www.acme.com/', externalId: null, einRaw: null }, { status: 'absent' }, undefined);
 * ```
 */
export function decideCompany(command: CompanyCommand, state: CompanyState, _facts?: undefined): Decision {
  return checkedDecision(companyCommandSchema, command, 'company command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent') {
        return err(
          reject('COMPANY_ALREADY_EXISTS', 'the company exists already', { companyUid: state.companyUid }),
        );
      }
      const uid = companyUidSchema.safeParse(command.companyUid);
      if (!uid.success || dailyUidParts(uid.data).day !== uidDay(command.createdAt)) {
        return err(
          reject('COMPANY_UID_INVALID', 'the uid must be CO-<creation day, UTC>-<sequence>', {
            companyUid: command.companyUid,
            createdAt: command.createdAt,
          }),
        );
      }
      const name = command.name.trim();
      if (name === '') return err(reject('COMPANY_NAME_REQUIRED', 'a company needs a name'));
      const site = website(command.website);
      if (!site.ok) return site;
      return ok([
        {
          type: 'company.created',
          payload: {
            companyId: command.companyId,
            companyUid: uid.data,
            createdAt: command.createdAt,
            name,
            website: site.value,
            externalId: orNull(command.externalId),
            einRaw: command.einRaw === '' ? null : command.einRaw,
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('COMPANY_NOT_FOUND', 'no such company'));
    if (state.status === 'archived') {
      return err(
        reject('COMPANY_ARCHIVED', 'an archived company cannot change', { companyUid: state.companyUid }),
      );
    }
    if (command.type === 'archive') {
      return ok([{ type: 'company.archived', payload: { companyId: state.companyId, at: command.at } }]);
    }
    const requested = command.changes;
    const changes: { -readonly [K in keyof CompanyChanges]: CompanyChanges[K] } = {};
    if (requested.name !== undefined) {
      const name = requested.name.trim();
      if (name === '') return err(reject('COMPANY_NAME_REQUIRED', 'a company needs a name'));
      if (name !== state.name) changes.name = name;
    }
    if (requested.website !== undefined) {
      const site = website(requested.website);
      if (!site.ok) return site;
      if (site.value !== state.website) changes.website = site.value;
    }
    if (requested.externalId !== undefined) {
      const externalId = orNull(requested.externalId);
      if (externalId !== state.externalId) changes.externalId = externalId;
    }
    if (requested.einRaw !== undefined) {
      const einRaw = requested.einRaw === '' ? null : requested.einRaw;
      if (einRaw !== state.einRaw) changes.einRaw = einRaw;
    }
    if (Object.keys(changes).length === 0) return ok([]);
    return ok([{ type: 'company.updated', payload: { companyId: state.companyId, changes } }]);
  });
}
