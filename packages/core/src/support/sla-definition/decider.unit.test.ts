import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import { goldTerms, iso, slaId, tracked } from '../test-support.test.js';
import { slaDefinitionCommandSchema } from './commands.js';
import { slaDefinitionDecider } from './decider.js';
import type { SlaDefinitionEvent } from './events.js';
import { SLA_DEFINITION_REJECTION_CODES } from './rejections.js';
import { canAttachSla, escalationStages } from './terms.js';

const { decider, seen } = tracked(slaDefinitionDecider);
const spec = DeciderSpecification.for(decider);
const id = slaId(1);
const t0 = iso('2026-01-05T09:00Z');
const created: SlaDefinitionEvent = {
  type: 'sla.created',
  payload: { slaDefinitionId: id, versionNumber: 1, terms: goldTerms, at: t0 },
};
const published: SlaDefinitionEvent = {
  type: 'sla.published',
  payload: { slaDefinitionId: id, versionNumber: 1, at: iso('2026-01-06T09:00Z') },
};
const deprecated: SlaDefinitionEvent = {
  type: 'sla.deprecated',
  payload: { slaDefinitionId: id, versionNumber: 1, at: iso('2026-02-01T09:00Z') },
};
const archived: SlaDefinitionEvent = {
  type: 'sla.archived',
  payload: { slaDefinitionId: id, versionNumber: 1, at: iso('2026-03-01T09:00Z') },
};
const create = { type: 'create' as const, slaDefinitionId: id, versionNumber: 1, terms: goldTerms, at: t0 };

describe('SLA definition: drafts', () => {
  test('given nothing, when created as version 1 of a new name, then sla.created (a draft)', () => {
    spec.given([]).when(create, { latestVersionNumber: null }).then([created]);
  });

  test('version n + 1 follows the latest version n; anything else is SLA_VERSION_NOT_NEXT', () => {
    spec
      .given([])
      .when({ ...create, versionNumber: 3 }, { latestVersionNumber: 2 })
      .then([{ type: 'sla.created', payload: { ...created.payload, versionNumber: 3 } }]);
    spec
      .given([])
      .when({ ...create, versionNumber: 2 }, { latestVersionNumber: 2 })
      .thenRejects('SLA_VERSION_NOT_NEXT', { versionNumber: 2, expectedVersionNumber: 3 });
  });

  test('without the latest-version fact, then SLA_FACTS_MISSING; twice, then SLA_ALREADY_EXISTS', () => {
    spec.given([]).when(create).thenRejects('SLA_FACTS_MISSING', { fact: 'latestVersionNumber' });
    spec.given([created]).when(create, { latestVersionNumber: 1 }).thenRejects('SLA_ALREADY_EXISTS');
  });

  test('response above resolution, or a target ≤ 0, is SLA_TARGETS_INVALID with the numbers', () => {
    spec
      .given([])
      .when({ ...create, terms: { ...goldTerms, responseTargetMinutes: 600 } }, { latestVersionNumber: null })
      .thenRejects('SLA_TARGETS_INVALID', { responseTargetMinutes: 600, resolutionTargetMinutes: 480 });
    spec
      .given([created])
      .when({ type: 'update', terms: { ...goldTerms, responseTargetMinutes: 0 } })
      .thenRejects('SLA_TARGETS_INVALID');
  });

  test('thresholds outside 1–100 % (warning below 100 %), or shared by two rules, are SLA_THRESHOLD_INVALID', () => {
    const rule = goldTerms.escalationRules[0]!;
    for (const terms of [
      { ...goldTerms, warningThresholdBp: 10_000 },
      { ...goldTerms, warningThresholdBp: 99 },
      { ...goldTerms, escalationRules: [{ ...rule, thresholdBp: 10_001 }] },
      { ...goldTerms, escalationRules: [{ ...rule, thresholdBp: 0 }] },
      { ...goldTerms, escalationRules: [rule, rule] },
    ]) {
      spec.given([created]).when({ type: 'update', terms }).thenRejects('SLA_THRESHOLD_INVALID');
    }
  });

  test('a draft is edited in place: sla.updated with the whole new terms', () => {
    const terms = { ...goldTerms, resolutionTargetMinutes: 960 };
    spec
      .given([created])
      .when({ type: 'update', terms })
      .then([{ type: 'sla.updated', payload: { slaDefinitionId: id, terms } }]);
  });

  test('given nothing, any other command is SLA_NOT_FOUND', () => {
    spec.given([]).when({ type: 'publish', at: t0 }).thenRejects('SLA_NOT_FOUND');
  });
});

describe('SLA definition: publish, deprecate, archive (scenarios 32, 33, 36)', () => {
  test('a draft with a calendar and an enabled escalation rule publishes', () => {
    spec.given([created]).when({ type: 'publish', at: published.payload.at }).then([published]);
    expect(escalationStages(goldTerms.escalationRules).map((r) => r.thresholdBp)).toEqual([5_000, 10_000]);
  });

  test('scenario 32: publishing without an (enabled) escalation rule is blocked', () => {
    const disabled = goldTerms.escalationRules.map((r) => ({ ...r, enabled: false }));
    for (const escalationRules of [[], disabled]) {
      spec
        .given([{ ...created, payload: { ...created.payload, terms: { ...goldTerms, escalationRules } } }])
        .when({ type: 'publish', at: t0 })
        .thenRejects('SLA_ESCALATION_RULE_REQUIRED', { escalationRules: escalationRules.length });
    }
  });

  test('publishing without a calendar is blocked', () => {
    spec
      .given([{ ...created, payload: { ...created.payload, terms: { ...goldTerms, calendarId: null } } }])
      .when({ type: 'publish', at: t0 })
      .thenRejects('SLA_CALENDAR_REQUIRED');
  });

  test('scenario 33: editing (or re-publishing) a published SLA is blocked: SLA_NOT_DRAFT', () => {
    spec.given([created, published]).when({ type: 'update', terms: goldTerms }).thenRejects('SLA_NOT_DRAFT');
    spec.given([created, published]).when({ type: 'publish', at: t0 }).thenRejects('SLA_NOT_DRAFT');
  });

  test('published → deprecated → archived; a draft may be archived; a published one must be deprecated first', () => {
    spec
      .given([created, published])
      .when({ type: 'deprecate', at: deprecated.payload.at })
      .then([deprecated]);
    spec
      .given([created, published, deprecated])
      .when({ type: 'archive', at: archived.payload.at })
      .then([archived]);
    spec.given([created]).when({ type: 'archive', at: archived.payload.at }).then([archived]);
    spec.given([created, published]).when({ type: 'archive', at: t0 }).thenRejects('SLA_NOT_PUBLISHED');
    spec.given([created]).when({ type: 'deprecate', at: t0 }).thenRejects('SLA_NOT_PUBLISHED');
    spec
      .given([created, published, deprecated])
      .when({ type: 'deprecate', at: t0 })
      .thenRejects('SLA_NOT_PUBLISHED', { status: 'deprecated' });
  });

  test('scenario 36: a deprecated SLA does not attach to a quote (only its contract keeps it); drafts, archived and version 0 never', () => {
    expect(canAttachSla('deprecated', 1, 'quote')).toBe(false);
    expect(canAttachSla('deprecated', 1, 'explicit')).toBe(false);
    expect(canAttachSla('deprecated', 1, 'contract')).toBe(true);
    expect(canAttachSla('published', 1, 'quote')).toBe(true);
    expect(canAttachSla('published', 0, 'quote')).toBe(false);
    expect(canAttachSla('draft', 1, 'contract')).toBe(false);
    expect(canAttachSla('archived', 1, 'contract')).toBe(false);
  });

  test('archived is terminal and kept: every command is SLA_ARCHIVED', () => {
    spec
      .given([created, published, deprecated, archived])
      .when({ type: 'update', terms: goldTerms })
      .thenRejects('SLA_ARCHIVED');
    spec.given([created, archived]).when({ type: 'publish', at: t0 }).thenRejects('SLA_ARCHIVED');
  });

  test('state after publish records the version and the instant', () => {
    spec.given([created]).when({ type: 'publish', at: published.payload.at }).thenState({
      status: 'published',
      slaDefinitionId: id,
      versionNumber: 1,
      terms: goldTerms,
      publishedAt: published.payload.at,
      archivedAt: null,
    });
  });

  test('commands are validated: version 0 and a blank name name their field', () => {
    const r = slaDefinitionCommandSchema.safeParse({ ...create, versionNumber: 0 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['versionNumber']);
    const blank = slaDefinitionCommandSchema.safeParse({ ...create, terms: { ...goldTerms, name: '  ' } });
    expect(blank.error?.issues[0]?.path).toEqual(['terms', 'name']);
  });
});

test('every SLA definition rejection code is reachable', () => {
  expect([...seen].sort()).toEqual([...SLA_DEFINITION_REJECTION_CODES].sort());
});
