import { type EventDraft, type Identity, type Instant, Knowledge } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import {
  knowledgeArticlesTable,
  knowledgeCommentsTable,
  knowledgeLinksTable,
  knowledgeVersionsTable,
} from './knowledge.js';

const id = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
const at = (m: number): Instant => `2026-03-01T09:${String(m).padStart(2, '0')}:00.000001Z` as Instant;
const articleId = id(1) as Knowledge.ArticleId;
const author = id(2) as Identity.EmployeeId;
const editor = id(3) as Identity.EmployeeId;
const version = (n: number) => id(100 + n) as Knowledge.ArticleVersionId;

/** Decides `commands` in order from the empty article, returning every state on the way and the events. */
function history(commands: readonly Knowledge.ArticleCommand[]) {
  let state = Knowledge.initialArticleState();
  const states: Knowledge.ArticleState[] = [];
  const events: Knowledge.ArticleEvent[] = [];
  for (const c of commands) {
    const r = Knowledge.decideArticle(c, state);
    if (!r.ok) throw new Error(r.error.code);
    for (const e of r.value) {
      state = Knowledge.evolveArticle(state, e);
      events.push(e);
    }
    states.push(state);
  }
  return { states, events };
}

const revise = (n: number, m: number): Knowledge.ArticleCommand => ({
  type: 'revise',
  versionId: version(n),
  basedOnVersionNumber: n - 1,
  title: `Title ${n}`,
  content: `Content ${n}\n`,
  changeSummary: `Change ${n}`,
  authorEmployeeId: editor,
  at: at(m),
});

const lifecycle = history([
  {
    type: 'create',
    articleId,
    versionId: version(1),
    category: 'general',
    title: 'Title 1',
    content: 'Content 1',
    changeSummary: 'Initial version',
    authorEmployeeId: author,
    links: [{ kind: 'ticket', id: id(900) as never }],
    at: at(0),
  },
  revise(2, 1),
  { type: 'publish', versionNumber: 2, publishedBy: editor, at: at(2) },
  revise(3, 3),
  { type: 'link', targets: [{ kind: 'customer', id: id(901) as never }], linkedBy: null, at: at(4) },
  { type: 'publish', versionNumber: 3, publishedBy: editor, at: at(5) },
  revise(4, 6),
  { type: 'archive', archivedBy: editor, reason: 'Superseded', at: at(7) },
]);

// What a database's JSON column gives back: the same document, a new object.
const stored = <T>(row: T): T => JSON.parse(JSON.stringify(row)) as T;

describe('knowledge table declarations', () => {
  it('given every state of an article (draft, published, revised, archived), when written as a row and read back, then the state is the same', () => {
    expect(lifecycle.states.map((s) => s.status)).toEqual([
      'draft',
      'draft',
      'published',
      'revised',
      'revised',
      'published',
      'revised',
      'archived',
    ]);
    for (const s of lifecycle.states) {
      expect(knowledgeArticlesTable.fromRow(stored(knowledgeArticlesTable.toRow(s)), articleId)).toEqual(s);
    }
  });

  it('given a revised article, then the row names the current version and still the published one', () => {
    expect(knowledgeArticlesTable.toRow(lifecycle.states[6] as Knowledge.ArticleState)).toMatchObject({
      state: 'revised',
      title: 'Title 4',
      current_version_id: version(4),
      current_version_number: 4,
      published_version_id: version(3),
      published_version_number: 3,
      archived_at: null,
    });
  });

  it('given the events, then versions get one row per created/revised event and links one per linked event', () => {
    const drafts = lifecycle.events.map((e, i) => ({ ...e, eventId: id(500 + i) }) as unknown as EventDraft);
    const versions = drafts.flatMap((e) => knowledgeVersionsTable.rowsOf(e, articleId));
    expect(versions.map((v) => [v.id, v.version_number, v.author_employee_id])).toEqual([
      [version(1), 1, author],
      [version(2), 2, editor],
      [version(3), 3, editor],
      [version(4), 4, editor],
    ]);
    const links = drafts.flatMap((e) => knowledgeLinksTable.rowsOf(e, articleId));
    expect(links).toEqual([
      {
        id: id(501),
        article_id: articleId,
        kind: 'ticket',
        target_id: id(900),
        linked_by_employee_id: author,
        created_at: at(0),
      },
      {
        id: id(505),
        article_id: articleId,
        kind: 'customer',
        target_id: id(901),
        linked_by_employee_id: null,
        created_at: at(4),
      },
    ]);
  });

  it('given an absent article or comment, then it has no row (saving needs events)', () => {
    expect(() => knowledgeArticlesTable.toRow(Knowledge.initialArticleState())).toThrow(TypeError);
    expect(() => knowledgeCommentsTable.toRow(Knowledge.initialCommentState())).toThrow(TypeError);
  });

  it('given a posted comment, when written as a row and read back, then it is the same', () => {
    const posted: Knowledge.CommentState = {
      status: 'posted',
      commentId: id(700) as Knowledge.CommentId,
      articleId,
      articleVersionId: version(2),
      versionNumber: 2,
      authorEmployeeId: author,
      body: 'Step 3 also needs a reboot.',
      rating: 4,
      parentCommentId: id(699) as Knowledge.CommentId,
      at: at(9),
    };
    expect(knowledgeCommentsTable.fromRow(knowledgeCommentsTable.toRow(posted), id(700))).toEqual(posted);
  });
});
