import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeFixtures, missingFixtures } from '../kernel/index.js';
import type { ArticleEvent } from './article/events.js';
import type { CommentEvent } from './comment/events.js';
import { knowledgeEventContext, knowledgeEventDefinitions, knowledgeEventRegistry } from './events.js';
import type { SuggestedEvent } from './suggestion/events.js';

const dir = new URL('./__fixtures__/events/', import.meta.url);
const fixtures = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown]),
);
const payloadOf = (type: string): unknown =>
  (fixtures[`${type}.v1.json`] as { payload: unknown } | undefined)?.payload;

describe('knowledge events', () => {
  test('every frozen fixture decodes with the current registry, forever', () => {
    expect(Object.keys(fixtures).length).toBeGreaterThanOrEqual(knowledgeEventDefinitions.length);
    expect(decodeFixtures(knowledgeEventRegistry, fixtures)).toEqual([]);
  });

  test('every registered (type, version) has a frozen fixture named <type>.v<version>.json', () => {
    expect(missingFixtures(knowledgeEventRegistry, fixtures)).toEqual([]);
    for (const [name, raw] of Object.entries(fixtures)) {
      const { type, schemaVersion } = raw as { type: string; schemaVersion: number };
      expect(name).toBe(`${type}.v${schemaVersion}.json`);
    }
  });

  test('types are namespaced knowledge.* and all at version 1', () => {
    expect(knowledgeEventRegistry.knownTypes()).toEqual([
      'knowledge.archived',
      'knowledge.commented',
      'knowledge.created',
      'knowledge.linked',
      'knowledge.published',
      'knowledge.revised',
      'knowledge.suggested',
    ]);
    for (const t of knowledgeEventRegistry.knownTypes())
      expect(knowledgeEventRegistry.currentVersion(t)).toBe(1);
  });

  test('drafts are validated: version numbering, self-answers and ratings outside 1..5 are refused', () => {
    const created = payloadOf('knowledge.created') as { version: object };
    expect(() =>
      knowledgeEventRegistry.validateDraft({
        type: 'knowledge.created',
        schemaVersion: 1,
        payload: { ...created, version: { ...created.version, versionNumber: 2 } },
      }),
    ).toThrow(/payload.version.versionNumber/);
    const revised = payloadOf('knowledge.revised') as { version: object };
    expect(() =>
      knowledgeEventRegistry.validateDraft({
        type: 'knowledge.revised',
        schemaVersion: 1,
        payload: { ...revised, version: { ...revised.version, versionNumber: 1 } },
      }),
    ).toThrow(/payload.version.versionNumber/);
    const c = payloadOf('knowledge.commented') as { commentId: string };
    expect(() =>
      knowledgeEventRegistry.validateDraft({
        type: 'knowledge.commented',
        schemaVersion: 1,
        payload: { ...c, parentCommentId: c.commentId },
      }),
    ).toThrow(/payload.parentCommentId/);
    expect(() =>
      knowledgeEventRegistry.validateDraft({
        type: 'knowledge.commented',
        schemaVersion: 1,
        payload: { ...c, rating: 6 },
      }),
    ).toThrow(/payload.rating/);
    const p = payloadOf('knowledge.published') as object;
    expect(() =>
      knowledgeEventRegistry.validateDraft({
        type: 'knowledge.published',
        schemaVersion: 1,
        payload: { ...p, previousVersionNumber: 2 },
      }),
    ).toThrow(/payload.previousVersionNumber/);
  });

  test('each event names its article, and links and suggestions their ticket, project, task or customer', () => {
    const linked = { type: 'knowledge.linked', payload: payloadOf('knowledge.linked') } as ArticleEvent;
    const p = linked.payload as { articleId: string; target: { id: string } };
    expect(knowledgeEventContext(linked)).toEqual({ articleId: p.articleId, ticketId: p.target.id });
    for (const kind of ['project', 'task', 'customer'] as const) {
      const e = {
        type: 'knowledge.linked',
        payload: { ...p, target: { kind, id: p.target.id } },
      } as ArticleEvent;
      expect(knowledgeEventContext(e)).toEqual({ articleId: p.articleId, [`${kind}Id`]: p.target.id });
    }
    const s = { type: 'knowledge.suggested', payload: payloadOf('knowledge.suggested') } as SuggestedEvent;
    expect(knowledgeEventContext(s)).toEqual({
      ticketId: s.payload.ticketId,
      customerId: s.payload.customerId,
    });
    expect(knowledgeEventContext({ ...s, payload: { ...s.payload, customerId: null } })).toEqual({
      ticketId: s.payload.ticketId,
    });
    const c = { type: 'knowledge.commented', payload: payloadOf('knowledge.commented') } as CommentEvent;
    expect(knowledgeEventContext(c)).toEqual({ articleId: c.payload.articleId });
  });
});
