import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  assertEvolveNeverThrows,
  assertReplayDeterministic,
  DeciderSpecification,
} from '../../testing/index.js';
import { at, person, slot } from '../test-support.test.js';
import type { PersonUid } from '../uids.js';
import type { NormalizedEmail } from '../values.js';
import { type CreatePerson, personCommandSchema } from './commands.js';
import { personDecider } from './decider.js';
import type { PersonEvent } from './events.js';
import { PERSON_REJECTION_CODES } from './rejections.js';

const seen = new Set<string>();
const spec = DeciderSpecification.for({
  ...personDecider,
  decide: (c, s, f) => {
    const r = personDecider.decide(c, s, f);
    if (!r.ok) seen.add(r.error.code);
    return r;
  },
} satisfies typeof personDecider);

const id = person(1);
const uid = 'PE-20261122-000003' as PersonUid;
const create: CreatePerson = {
  type: 'create',
  personId: id,
  personUid: uid,
  createdAt: at(5),
  name: ' Ada Lovelace ',
  email: ' Ada@Example.com ',
  linkedinUrl: ' https://www.linkedin.com/in/ada ',
};
const created: PersonEvent = {
  type: 'person.created',
  payload: {
    personId: id,
    personUid: uid,
    createdAt: at(5),
    name: 'Ada Lovelace',
    email: 'ada@example.com' as NormalizedEmail,
    linkedinUrl: 'https://www.linkedin.com/in/ada',
    validationStatus: 'unverified',
  },
};
const archived: PersonEvent = { type: 'person.archived', payload: { personId: id, at: at(50) } };

describe('person', () => {
  test('given nothing, when created, then person.created (unverified, e-mail normalised, URL trimmed)', () => {
    spec.given([]).when(create).then([created]);
    spec
      .given([])
      .when({ ...create, email: null, linkedinUrl: '' })
      .then([{ type: 'person.created', payload: { ...created.payload, email: null, linkedinUrl: null } }]);
  });

  test('bad input: PERSON_NAME_REQUIRED, PERSON_EMAIL_MALFORMED, PERSON_LINKEDIN_URL_MALFORMED, PERSON_UID_INVALID', () => {
    spec
      .given([])
      .when({ ...create, name: ' ' })
      .thenRejects('PERSON_NAME_REQUIRED');
    spec
      .given([])
      .when({ ...create, email: 'ada@' })
      .thenRejects('PERSON_EMAIL_MALFORMED');
    spec
      .given([])
      .when({ ...create, linkedinUrl: 'https://example.com/ada' })
      .thenRejects('PERSON_LINKEDIN_URL_MALFORMED');
    spec
      .given([])
      .when({ ...create, createdAt: at(-1) })
      .thenRejects('PERSON_UID_INVALID');
    spec
      .given([])
      .when({ ...create, personUid: 'CO-20261122-000003' as PersonUid })
      .thenRejects('PERSON_UID_INVALID');
  });

  test('rejections name the field without echoing personal data', () => {
    const r = personDecider.decide(
      { ...create, email: 'ada.lovelace@nowhere' },
      { status: 'absent' },
      undefined,
    );
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain('lovelace');
  });

  test('an update carries only the changed personal fields', () => {
    spec
      .given([created])
      .when({
        type: 'update',
        changes: { name: 'Ada Lovelace', email: 'ADA@example.com', linkedinUrl: null },
      })
      .then([{ type: 'person.updated', payload: { personId: id, changes: { linkedinUrl: null } } }]);
    spec
      .given([created])
      .when({ type: 'update', changes: { email: ' ada@EXAMPLE.com' } })
      .then([]);
    spec
      .given([created])
      .when({ type: 'update', changes: { name: '' } })
      .thenRejects('PERSON_NAME_REQUIRED');
    spec
      .given([created])
      .when({ type: 'update', changes: { email: 'x' } })
      .thenRejects('PERSON_EMAIL_MALFORMED');
    spec
      .given([created])
      .when({ type: 'update', changes: { linkedinUrl: 'x' } })
      .thenRejects('PERSON_LINKEDIN_URL_MALFORMED');
  });

  test('validation status changes are events without personal data; the same status is no change', () => {
    spec
      .given([created])
      .when({ type: 'setValidationStatus', validationStatus: 'verified' })
      .then([{ type: 'person.validation_changed', payload: { personId: id, validationStatus: 'verified' } }]);
    spec.given([created]).when({ type: 'setValidationStatus', validationStatus: 'unverified' }).then([]);
  });

  test('archive needs the person out of every slot', () => {
    spec
      .given([created])
      .when({ type: 'archive', at: at(50) }, { occupiedSlotIds: [] })
      .then([archived]);
    spec
      .given([created])
      .when({ type: 'archive', at: at(50) }, { occupiedSlotIds: [slot(1)] })
      .thenRejects('PERSON_OCCUPIES_SLOTS');
    spec
      .given([created])
      .when({ type: 'archive', at: at(50) })
      .thenRejects('PERSON_FACTS_MISSING');
  });

  test('PERSON_ALREADY_EXISTS, PERSON_NOT_FOUND, PERSON_ARCHIVED', () => {
    spec.given([created]).when(create).thenRejects('PERSON_ALREADY_EXISTS');
    spec
      .given([])
      .when({ type: 'setValidationStatus', validationStatus: 'invalid' })
      .thenRejects('PERSON_NOT_FOUND');
    spec
      .given([created, archived])
      .when({ type: 'update', changes: { name: 'X' } })
      .thenRejects('PERSON_ARCHIVED');
  });

  test('the command schema', () => {
    expect(
      personCommandSchema.parse({
        type: 'create',
        personId: id,
        personUid: uid,
        createdAt: at(5),
        name: 'A',
      }),
    ).toMatchObject({
      email: null,
      linkedinUrl: null,
    });
    expect(
      personCommandSchema.safeParse({ type: 'setValidationStatus', validationStatus: 'maybe' }).success,
    ).toBe(false);
  });

  test('every person rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...PERSON_REJECTION_CODES].sort());
  });

  test('laws: evolve never throws, replay is deterministic', () => {
    const eventArb = fc.constantFrom<PersonEvent>(
      created,
      archived,
      { type: 'person.updated', payload: { personId: id, changes: { name: 'B' } } },
      { type: 'person.validation_changed', payload: { personId: id, validationStatus: 'invalid' } },
    );
    assertEvolveNeverThrows(personDecider, fc.array(eventArb, { maxLength: 10 }));
    assertReplayDeterministic(personDecider, fc.array(eventArb, { maxLength: 10 }));
  });
});
