import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { dailyUidParts, personUidSchema, uidDay } from '../uids.js';
import { checkLinkedinUrl, type NormalizedEmail, normalizeEmail } from '../values.js';
import { type PersonCommand, type PersonFacts, personCommandSchema } from './commands.js';
import type { PersonChanges, PersonEvent } from './events.js';
import type { PersonRejection } from './rejections.js';
import type { PersonState } from './state.js';

type Decision = Result<readonly PersonEvent[], PersonRejection>;

const blank = (s: string | null): boolean => s === null || s.trim() === '';

function email(raw: string | null): Result<NormalizedEmail | null, PersonRejection> {
  if (raw === null || blank(raw)) return ok(null);
  const r = normalizeEmail(raw);
  return r.ok ? r : err(reject('PERSON_EMAIL_MALFORMED', r.error.message));
}

function linkedin(raw: string | null): Result<string | null, PersonRejection> {
  if (raw === null || blank(raw)) return ok(null);
  const r = checkLinkedinUrl(raw);
  return r.ok ? r : err(reject('PERSON_LINKEDIN_URL_MALFORMED', r.error.message));
}

/**
 * Decides a person command. Rules: a name is required; the e-mail is stored normalised and the
 * LinkedIn URL trimmed (malformed ones refused); the uid is well-formed and dated on the creation day
 * (UTC); a person who fills or is proposed for slots cannot be archived; archived is immutable.
 * Rejections name the field, never echo personal data.
 *
 * @example
 * ```ts
 * decidePerson({ type: 'update', changes: { email: 'Ada@Example.com' } }, state, undefined);
 * ```
 */
export function decidePerson(
  command: PersonCommand,
  state: PersonState,
  facts: PersonFacts | undefined,
): Decision {
  return checkedDecision(personCommandSchema, command, 'person command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent') {
        return err(
          reject('PERSON_ALREADY_EXISTS', 'the person exists already', { personUid: state.personUid }),
        );
      }
      const uid = personUidSchema.safeParse(command.personUid);
      if (!uid.success || dailyUidParts(uid.data).day !== uidDay(command.createdAt)) {
        return err(
          reject('PERSON_UID_INVALID', 'the uid must be PE-<creation day, UTC>-<sequence>', {
            personUid: command.personUid,
            createdAt: command.createdAt,
          }),
        );
      }
      const name = command.name.trim();
      if (name === '') return err(reject('PERSON_NAME_REQUIRED', 'a person needs a name'));
      const e = email(command.email);
      if (!e.ok) return e;
      const l = linkedin(command.linkedinUrl);
      if (!l.ok) return l;
      return ok([
        {
          type: 'person.created',
          payload: {
            personId: command.personId,
            personUid: uid.data,
            createdAt: command.createdAt,
            name,
            email: e.value,
            linkedinUrl: l.value,
            validationStatus: 'unverified',
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('PERSON_NOT_FOUND', 'no such person'));
    if (state.status === 'archived') {
      return err(
        reject('PERSON_ARCHIVED', 'an archived person cannot change', { personUid: state.personUid }),
      );
    }
    switch (command.type) {
      case 'setValidationStatus':
        return command.validationStatus === state.validationStatus
          ? ok([])
          : ok([
              {
                type: 'person.validation_changed',
                payload: { personId: state.personId, validationStatus: command.validationStatus },
              },
            ]);
      case 'archive': {
        if (facts === undefined) {
          return err(
            reject('PERSON_FACTS_MISSING', 'the person’s slots were not loaded', { fact: 'occupiedSlotIds' }),
          );
        }
        if (facts.occupiedSlotIds.length > 0) {
          return err(
            reject('PERSON_OCCUPIES_SLOTS', 'vacate the person’s slots first', {
              occupiedSlotIds: facts.occupiedSlotIds,
            }),
          );
        }
        return ok([{ type: 'person.archived', payload: { personId: state.personId, at: command.at } }]);
      }
      case 'update': {
        const requested = command.changes;
        const changes: { -readonly [K in keyof PersonChanges]: PersonChanges[K] } = {};
        if (requested.name !== undefined) {
          const name = requested.name.trim();
          if (name === '') return err(reject('PERSON_NAME_REQUIRED', 'a person needs a name'));
          if (name !== state.name) changes.name = name;
        }
        if (requested.email !== undefined) {
          const e = email(requested.email);
          if (!e.ok) return e;
          if (e.value !== state.email) changes.email = e.value;
        }
        if (requested.linkedinUrl !== undefined) {
          const l = linkedin(requested.linkedinUrl);
          if (!l.ok) return l;
          if (l.value !== state.linkedinUrl) changes.linkedinUrl = l.value;
        }
        if (Object.keys(changes).length === 0) return ok([]);
        return ok([{ type: 'person.updated', payload: { personId: state.personId, changes } }]);
      }
    }
  });
}
