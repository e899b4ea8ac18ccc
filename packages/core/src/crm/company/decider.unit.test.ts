import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import { at, company } from '../test-support.test.js';
import type { CompanyUid } from '../uids.js';
import type { NormalizedWebsite } from '../values.js';
import { type CreateCompany, companyCommandSchema } from './commands.js';
import { companyDecider } from './decider.js';
import type { CompanyEvent } from './events.js';
import { COMPANY_REJECTION_CODES } from './rejections.js';

const seen = new Set<string>();
const spec = DeciderSpecification.for({
  ...companyDecider,
  decide: (c, s, f) => {
    const r = companyDecider.decide(c, s, f);
    if (!r.ok) seen.add(r.error.code);
    return r;
  },
} satisfies typeof companyDecider);

const id = company(1);
const uid = 'CO-20261122-000001' as CompanyUid;
const create: CreateCompany = {
  type: 'create',
  companyId: id,
  companyUid: uid,
  createdAt: at(60),
  name: '  Acme Inc. ',
  website: 'HTTPS://www.Acme.com/',
  externalId: ' apollo-42 ',
  einRaw: '12-3456789',
};
const created: CompanyEvent = {
  type: 'company.created',
  payload: {
    companyId: id,
    companyUid: uid,
    createdAt: at(60),
    name: 'Acme Inc.',
    website: 'acme.com' as NormalizedWebsite,
    externalId: 'apollo-42',
    einRaw: '12-3456789',
  },
};
const archived: CompanyEvent = { type: 'company.archived', payload: { companyId: id, at: at(120) } };

describe('company', () => {
  test('given nothing, when created, then company.created with the trimmed name and the normalised website', () => {
    spec.given([]).when(create).then([created]);
    spec
      .given([])
      .when(create)
      .thenState({ status: 'active', ...created.payload } as never);
  });

  test('empty optional fields are stored as null', () => {
    spec
      .given([])
      .when({ ...create, website: ' ', externalId: '', einRaw: '' })
      .then([
        {
          type: 'company.created',
          payload: { ...created.payload, website: null, externalId: null, einRaw: null },
        },
      ]);
  });

  test('a missing name is COMPANY_NAME_REQUIRED; a malformed website COMPANY_WEBSITE_MALFORMED', () => {
    spec
      .given([])
      .when({ ...create, name: '   ' })
      .thenRejects('COMPANY_NAME_REQUIRED');
    spec
      .given([])
      .when({ ...create, website: 'acme' })
      .thenRejects('COMPANY_WEBSITE_MALFORMED', { website: 'acme' });
  });

  test('a uid of another day (UTC) or a malformed uid is COMPANY_UID_INVALID', () => {
    spec
      .given([])
      .when({ ...create, createdAt: at(24 * 60) })
      .thenRejects('COMPANY_UID_INVALID', { companyUid: uid });
    spec
      .given([])
      .when({ ...create, companyUid: 'CO-20261122-1' as CompanyUid })
      .thenRejects('COMPANY_UID_INVALID');
  });

  test('given a company, when created again, then COMPANY_ALREADY_EXISTS', () => {
    spec.given([created]).when(create).thenRejects('COMPANY_ALREADY_EXISTS', { companyUid: uid });
  });

  test('an update carries only the changed fields; equal spellings are no change', () => {
    spec
      .given([created])
      .when({
        type: 'update',
        changes: { name: 'Acme Inc.', website: 'acme.com/', externalId: null, einRaw: '12-3456789' },
      })
      .then([{ type: 'company.updated', payload: { companyId: id, changes: { externalId: null } } }]);
    spec
      .given([created])
      .when({ type: 'update', changes: { website: 'http://ACME.com' } })
      .then([]);
    spec
      .given([created])
      .when({ type: 'update', changes: { website: 'acme.io', name: 'Acme' } })
      .then([
        {
          type: 'company.updated',
          payload: { companyId: id, changes: { name: 'Acme', website: 'acme.io' as NormalizedWebsite } },
        },
      ]);
  });

  test('an update to a blank name or a malformed website is refused', () => {
    spec
      .given([created])
      .when({ type: 'update', changes: { name: '' } })
      .thenRejects('COMPANY_NAME_REQUIRED');
    spec
      .given([created])
      .when({ type: 'update', changes: { website: 'a b.com' } })
      .thenRejects('COMPANY_WEBSITE_MALFORMED');
  });

  test('archive: active → archived; then immutable (COMPANY_ARCHIVED); nothing before create (COMPANY_NOT_FOUND)', () => {
    spec
      .given([created])
      .when({ type: 'archive', at: at(120) })
      .then([archived]);
    spec
      .given([created, archived])
      .when({ type: 'archive', at: at(130) })
      .thenRejects('COMPANY_ARCHIVED');
    spec
      .given([created, archived])
      .when({ type: 'update', changes: { name: 'X' } })
      .thenRejects('COMPANY_ARCHIVED');
    spec
      .given([])
      .when({ type: 'archive', at: at(130) })
      .thenRejects('COMPANY_NOT_FOUND');
  });

  test('the command schema names bad fields and defaults optional ones to null', () => {
    expect(
      companyCommandSchema.parse({
        type: 'create',
        companyId: id,
        companyUid: uid,
        createdAt: at(0),
        name: 'A',
      }),
    ).toEqual({
      type: 'create',
      companyId: id,
      companyUid: uid,
      createdAt: at(0),
      name: 'A',
      website: null,
      externalId: null,
      einRaw: null,
    });
    const r = companyCommandSchema.safeParse({
      type: 'create',
      companyId: id,
      companyUid: 'CO-1',
      createdAt: at(0),
      name: ' ',
    });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['companyUid', 'name']);
  });

  test('every company rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...COMPANY_REJECTION_CODES].sort());
  });
});
