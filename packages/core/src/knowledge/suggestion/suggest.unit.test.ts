import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import { articleCommandSchema } from '../article/commands.js';
import { articleDecider } from '../article/decider.js';
import type { ArticleEvent } from '../article/events.js';
import { knowledgeEventRegistry } from '../events.js';
import { article, at, customer, emp, ticket, version } from '../test-support.test.js';
import {
  type ArticleCandidate,
  createFromSuggestion,
  linkFromSuggestion,
  suggestForResolvedTicket,
  type TicketResolvedFact,
  ticketResolvedFactSchema,
} from './suggest.js';

const resolved: TicketResolvedFact = {
  ticketId: ticket(1),
  customerId: customer(1),
  subject: '  VPN disconnects every time the laptop wakes up ',
  resolvedBy: emp(1),
  resolvedAt: at(100),
};
const candidate = (
  n: number,
  status: ArticleCandidate['status'],
  linkedToTicket = false,
): ArticleCandidate => ({
  articleId: article(n),
  status,
  linkedToTicket,
});

describe('resolving a ticket offers linking or creating an article', () => {
  test('with no article linked yet, the suggestion lists live candidates (no drafts, no archived, no repeats, at most 5)', () => {
    const s = suggestForResolvedTicket(resolved, [
      candidate(1, 'published'),
      candidate(2, 'draft'),
      candidate(3, 'archived'),
      candidate(4, 'revised'),
      candidate(1, 'published'),
      ...[5, 6, 7, 8, 9].map((n) => candidate(n, 'published')),
    ]);
    expect(s).toEqual({
      kind: 'suggest',
      event: {
        type: 'knowledge.suggested',
        payload: {
          ticketId: ticket(1),
          customerId: customer(1),
          subject: 'VPN disconnects every time the laptop wakes up',
          resolvedBy: emp(1),
          candidateArticleIds: [article(1), article(4), article(5), article(6), article(7)],
          at: at(100),
        },
      },
    });
    // The event is a valid knowledge event a host can store.
    if (s.kind !== 'suggest') throw new Error('unreachable');
    expect(() => knowledgeEventRegistry.validateDraft({ ...s.event, schemaVersion: 1 })).not.toThrow();
  });

  test('with no candidates at all, the offer is to write a new article', () => {
    const s = suggestForResolvedTicket(resolved, []);
    expect(s.kind === 'suggest' && s.event.payload.candidateArticleIds).toEqual([]);
  });

  test('when a live or draft article is linked to the ticket already, nothing is offered', () => {
    expect(
      suggestForResolvedTicket(resolved, [
        candidate(1, 'published'),
        candidate(2, 'draft', true),
        candidate(2, 'draft', true),
        candidate(3, 'revised', true),
      ]),
    ).toEqual({ kind: 'already_linked', articleIds: [article(2), article(3)] });
  });

  test('an archived article linked to the ticket does not count: the offer is made again', () => {
    const s = suggestForResolvedTicket(resolved, [candidate(1, 'archived', true), candidate(4, 'published')]);
    expect(s.kind === 'suggest' && s.event.payload.candidateArticleIds).toEqual([article(4)]);
  });

  test('linking from the suggestion links the ticket and the customer, and is a no-op the second time', () => {
    const s = suggestForResolvedTicket(resolved, [candidate(1, 'published')]);
    if (s.kind !== 'suggest') throw new Error('unreachable');
    const link = linkFromSuggestion(s.event.payload, { linkedBy: emp(2), at: at(101) });
    expect(link).toEqual({
      type: 'link',
      targets: [
        { kind: 'ticket', id: ticket(1) },
        { kind: 'customer', id: customer(1) },
      ],
      linkedBy: emp(2),
      at: at(101),
    });
    expect(articleCommandSchema.safeParse(link).success).toBe(true);
    const created: ArticleEvent = {
      type: 'knowledge.created',
      payload: {
        articleId: article(1),
        category: 'general',
        version: {
          versionId: version(1),
          versionNumber: 1,
          title: 'VPN',
          content: 'x',
          changeSummary: 'Initial version',
          authorEmployeeId: emp(2),
        },
        at: at(0),
      },
    };
    const linkEvents = link.targets.map(
      (target): ArticleEvent => ({
        type: 'knowledge.linked',
        payload: { articleId: article(1), target, linkedBy: emp(2), at: at(101) },
      }),
    );
    const spec = DeciderSpecification.for(articleDecider);
    spec.given([created]).when(link).then(linkEvents);
    spec
      .given([created, ...linkEvents])
      .when(link)
      .then([]);
  });

  test('a suggestion without a customer links the ticket only', () => {
    const s = suggestForResolvedTicket({ ...resolved, customerId: null }, []);
    if (s.kind !== 'suggest') throw new Error('unreachable');
    expect(linkFromSuggestion(s.event.payload, { linkedBy: null, at: at(1) }).targets).toEqual([
      { kind: 'ticket', id: ticket(1) },
    ]);
  });

  test('creating from the suggestion drafts an article titled after the ticket, linked to ticket and customer', () => {
    const s = suggestForResolvedTicket(resolved, []);
    if (s.kind !== 'suggest') throw new Error('unreachable');
    const command = createFromSuggestion(s.event.payload, {
      articleId: article(7),
      versionId: version(7),
      authorEmployeeId: emp(1),
      content: 'Disable power saving on the adapter.',
      at: at(102),
    });
    expect(command).toMatchObject({
      type: 'create',
      title: 'VPN disconnects every time the laptop wakes up',
      category: 'general',
      links: [
        { kind: 'ticket', id: ticket(1) },
        { kind: 'customer', id: customer(1) },
      ],
    });
    expect(articleCommandSchema.safeParse(command).success).toBe(true);
    const r = articleDecider.decide(command, articleDecider.initialState(), undefined);
    expect(r.ok && r.value.map((e) => e.type)).toEqual([
      'knowledge.created',
      'knowledge.linked',
      'knowledge.linked',
    ]);
  });

  test('a long subject is cut to a valid title without splitting an emoji; an explicit title wins', () => {
    const subject = `${'a'.repeat(254)}🔥 and more`;
    const s = suggestForResolvedTicket({ ...resolved, subject }, []);
    if (s.kind !== 'suggest') throw new Error('unreachable');
    const input = {
      articleId: article(1),
      versionId: version(1),
      authorEmployeeId: emp(1),
      content: 'c',
      at: at(1),
    };
    const command = createFromSuggestion(s.event.payload, input);
    expect(command.title).toBe('a'.repeat(254));
    expect(articleCommandSchema.safeParse(command).success).toBe(true);
    expect(
      createFromSuggestion(s.event.payload, { ...input, title: 'Own title', category: 'vpn' }),
    ).toMatchObject({
      title: 'Own title',
      category: 'vpn',
    });
  });

  test('the resolved-ticket fact schema trims the subject and names bad fields', () => {
    expect(
      ticketResolvedFactSchema.parse({ ticketId: ticket(1), subject: ' S ', resolvedAt: at(1) }),
    ).toEqual({ ticketId: ticket(1), customerId: null, subject: 'S', resolvedBy: null, resolvedAt: at(1) });
    const r = ticketResolvedFactSchema.safeParse({ ticketId: 'x', subject: ' ', resolvedAt: 'now' });
    expect([...new Set(r.error?.issues.map((i) => i.path.join('.')))].sort()).toEqual([
      'resolvedAt',
      'subject',
      'ticketId',
    ]);
  });
});

const candidateArb = fc.record({
  n: fc.integer({ min: 0, max: 9 }),
  status: fc.constantFrom<ArticleCandidate['status']>('draft', 'published', 'revised', 'archived'),
  linked: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});
let offers = 0;

describe('suggestion properties', () => {
  propTest.prop([fc.array(candidateArb, { maxLength: 15 })], { numRuns: 200 })(
    'an offer lists only live, unrepeated candidates (at most 5, in order) exactly when no live or draft article is linked',
    (raw) => {
      const candidates = raw.map((c) => candidate(c.n, c.status, c.linked));
      const s = suggestForResolvedTicket(resolved, candidates);
      const linkedLive = candidates.filter((c) => c.linkedToTicket && c.status !== 'archived');
      expect(s.kind).toBe(linkedLive.length > 0 ? 'already_linked' : 'suggest');
      if (s.kind !== 'suggest') return;
      offers += 1;
      const ids = s.event.payload.candidateArticleIds;
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeLessThanOrEqual(5);
      const live = [
        ...new Set(
          candidates
            .filter((c) => c.status === 'published' || c.status === 'revised')
            .map((c) => c.articleId),
        ),
      ];
      expect(ids).toEqual(live.slice(0, 5));
    },
  );

  test('offers were made (the property is not vacuous)', () => {
    expect(offers).toBeGreaterThan(0);
  });
});
