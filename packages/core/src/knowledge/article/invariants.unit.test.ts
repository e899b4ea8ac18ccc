import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { assertEvolveNeverThrows, assertReplayDeterministic } from '../../testing/index.js';
import { knowledgeEventRegistry } from '../events.js';
import type { LinkTarget } from '../fields.js';
import { article, at, customer, emp, pick, project, ticket, version } from '../test-support.test.js';
import type { ArticleCommand } from './commands.js';
import { articleDecider } from './decider.js';
import type { ArticleEvent } from './events.js';
import { type ArticleState, currentVersion, versionByNumber } from './state.js';

const TITLES = ['VPN drops', 'VPN drops after sleep'];
const CONTENTS = ['Reboot.', 'Disable power saving.', 'Disable power saving, then reboot.'];
const TARGETS: LinkTarget[] = [
  { kind: 'ticket', id: ticket(1) },
  { kind: 'ticket', id: ticket(2) },
  { kind: 'project', id: project(1) },
  { kind: 'customer', id: customer(1) },
];

/** An abstract step, turned into a command against the current state (so most moves are sensible). */
type Step =
  | {
      readonly kind: 'create';
      readonly v: number;
      readonly title: number;
      readonly content: number;
      readonly links: number[];
    }
  | {
      readonly kind: 'revise';
      readonly v: number;
      readonly offset: number;
      readonly title: number;
      readonly content: number;
    }
  | { readonly kind: 'publish'; readonly offset: number }
  | { readonly kind: 'archive' }
  | { readonly kind: 'link'; readonly links: number[] };

const offsetArb = fc.constantFrom(0, 0, 0, 0, -1, 1);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      v: pick(12),
      title: pick(2),
      content: pick(3),
      links: fc.array(pick(4), { maxLength: 3 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('revise' as const),
      v: pick(12),
      offset: offsetArb,
      title: pick(2),
      content: pick(3),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('publish' as const), offset: offsetArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('archive' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('link' as const),
      links: fc.array(pick(4), { minLength: 1, maxLength: 3 }),
    }),
  },
);

function toCommand(step: Step, state: ArticleState, t: number): ArticleCommand {
  const current = state.status === 'absent' ? 0 : currentVersion(state).versionNumber;
  switch (step.kind) {
    case 'create':
      return {
        type: 'create',
        articleId: article(1),
        versionId: version(step.v),
        category: 'general',
        title: TITLES[step.title] ?? 'x',
        content: CONTENTS[step.content] ?? 'x',
        changeSummary: 'Initial version',
        authorEmployeeId: emp(1),
        links: step.links.map((i) => TARGETS[i] as LinkTarget),
        at: at(t),
      };
    case 'revise':
      return {
        type: 'revise',
        versionId: version(step.v),
        basedOnVersionNumber: Math.max(1, current + step.offset),
        title: TITLES[step.title] ?? 'x',
        content: CONTENTS[step.content] ?? 'x',
        changeSummary: 'Edit',
        authorEmployeeId: emp(2),
        at: at(t),
      };
    case 'publish':
      return {
        type: 'publish',
        versionNumber: Math.max(1, current + step.offset),
        publishedBy: emp(3),
        at: at(t),
      };
    case 'archive':
      return { type: 'archive', archivedBy: emp(3), reason: null, at: at(t) };
    case 'link':
      return {
        type: 'link',
        targets: step.links.map((i) => TARGETS[i] as LinkTarget),
        linkedBy: null,
        at: at(t),
      };
  }
}

const accepted = { revise: 0, publish: 0, archive: 0, link: 0 };

describe('article invariants under random command sequences', () => {
  test.prop([fc.array(stepArb, { maxLength: 40 })], { numRuns: 200 })(
    'versions number 1..n with no gap and never change; published content never changes; archived is final; state = replay(events)',
    (randomSteps) => {
      // Every run starts from a created article so the other moves can be accepted (a later create is refused).
      const steps: Step[] = [{ kind: 'create', v: 0, title: 0, content: 0, links: [] }, ...randomSteps];
      let state = articleDecider.initialState();
      const history: ArticleEvent[] = [];
      const versionsSeen = new Map<string, string>();
      const publishedContent: { versionNumber: number; title: string; content: string }[] = [];
      let archivedSnapshot: string | null = null;
      let linksBefore = 0;
      steps.forEach((step, i) => {
        const command = toCommand(step, state, i);
        const r = articleDecider.decide(command, state, undefined);
        if (!r.ok) {
          if (archivedSnapshot !== null)
            expect(r.error.code).toBe(
              command.type === 'create' ? 'KNOWLEDGE_ARTICLE_ALREADY_EXISTS' : 'KNOWLEDGE_ARTICLE_ARCHIVED',
            );
          return;
        }
        const before = state.status === 'absent' ? 0 : state.versions.length;
        for (const e of r.value) {
          // A new version is always the next number.
          if (e.type === 'knowledge.revised') expect(e.payload.version.versionNumber).toBe(before + 1);
          // Every decided event is one the registry accepts for storage.
          expect(() => knowledgeEventRegistry.validateDraft({ ...e, schemaVersion: 1 })).not.toThrow();
          state = articleDecider.evolve(state, e);
          history.push(e);
          if (e.type === 'knowledge.published' && state.status !== 'absent') {
            const v = versionByNumber(state, e.payload.versionNumber);
            publishedContent.push({
              versionNumber: e.payload.versionNumber,
              title: v?.title ?? '',
              content: v?.content ?? '',
            });
          }
        }
        if (command.type !== 'create' && command.type !== 'link' && r.value.length > 0)
          accepted[command.type] += 1;
        if (command.type === 'link' && r.value.length > 0) accepted.link += 1;
        if (state.status === 'absent') return;

        // 1..n, no gap, +1 each.
        expect(state.versions.map((v) => v.versionNumber)).toEqual(state.versions.map((_, k) => k + 1));
        // A version never changes once recorded.
        for (const v of state.versions) {
          const json = JSON.stringify(v);
          expect(versionsSeen.get(v.versionId) ?? json).toBe(json);
          versionsSeen.set(v.versionId, json);
        }
        expect(versionsSeen.size).toBe(state.versions.length);
        // What was published keeps its meaning.
        for (const p of publishedContent) {
          const v = versionByNumber(state, p.versionNumber);
          expect({ title: v?.title, content: v?.content }).toEqual({ title: p.title, content: p.content });
        }
        expect(state.publications.map((p) => p.versionNumber)).toEqual(
          publishedContent.map((p) => p.versionNumber),
        );
        // Status agrees with the versions.
        const current = currentVersion(state).versionNumber;
        if (state.status === 'draft') expect(state.publishedVersionNumber).toBeNull();
        if (state.status === 'published') expect(state.publishedVersionNumber).toBe(current);
        if (state.status === 'revised') expect(state.publishedVersionNumber).toBeLessThan(current);
        // Links are a growing set.
        expect(state.links.length).toBeGreaterThanOrEqual(linksBefore);
        expect(new Set(state.links.map((l) => `${l.target.kind}:${l.target.id}`)).size).toBe(
          state.links.length,
        );
        linksBefore = state.links.length;
        // Archived is final.
        if (archivedSnapshot !== null) expect(JSON.stringify(state)).toBe(archivedSnapshot);
        if (state.status === 'archived') archivedSnapshot = JSON.stringify(state);
      });
      expect(JSON.stringify(history.reduce(articleDecider.evolve, articleDecider.initialState()))).toBe(
        JSON.stringify(state),
      );
    },
  );

  test('the generator reaches revisions, publications, archives and links (the property is not vacuous)', () => {
    expect(accepted.revise).toBeGreaterThan(0);
    expect(accepted.publish).toBeGreaterThan(0);
    expect(accepted.archive).toBeGreaterThan(0);
    expect(accepted.link).toBeGreaterThan(0);
  });
});

const versionArb = (n: number) =>
  fc.record({
    versionId: pick(6).map(version),
    versionNumber: fc.constant(n),
    title: fc.constantFrom(...TITLES),
    content: fc.string({ minLength: 1 }),
    changeSummary: fc.constant('Edit'),
    authorEmployeeId: fc.constant(emp(1)),
  });
const eventArb: fc.Arbitrary<ArticleEvent> = fc.oneof(
  versionArb(1).map(
    (version): ArticleEvent => ({
      type: 'knowledge.created',
      payload: { articleId: article(1), category: 'general', version, at: at(0) },
    }),
  ),
  fc
    .integer({ min: 1, max: 6 })
    .chain((n) => versionArb(n))
    .map(
      (version): ArticleEvent => ({
        type: 'knowledge.revised',
        payload: { articleId: article(1), version, at: at(1) },
      }),
    ),
  fc.integer({ min: 1, max: 6 }).map(
    (n): ArticleEvent => ({
      type: 'knowledge.published',
      payload: {
        articleId: article(1),
        versionId: version(n),
        versionNumber: n,
        previousVersionNumber: null,
        publishedBy: emp(1),
        at: at(2),
      },
    }),
  ),
  fc.integer({ min: 1, max: 6 }).map(
    (n): ArticleEvent => ({
      type: 'knowledge.archived',
      payload: {
        articleId: article(1),
        publishedVersionNumber: n,
        archivedBy: emp(1),
        reason: null,
        at: at(3),
      },
    }),
  ),
  pick(4).map(
    (i): ArticleEvent => ({
      type: 'knowledge.linked',
      payload: { articleId: article(1), target: TARGETS[i] as LinkTarget, linkedBy: null, at: at(4) },
    }),
  ),
);

describe('article laws', () => {
  test('evolve never throws and replay is deterministic for any event sequence', () => {
    assertEvolveNeverThrows(articleDecider, fc.array(eventArb, { maxLength: 25 }), { numRuns: 200 });
    assertReplayDeterministic(articleDecider, fc.array(eventArb, { maxLength: 25 }), { numRuns: 200 });
  });
});
