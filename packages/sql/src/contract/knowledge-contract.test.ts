/**
 * The knowledge context's persistence contract, written once and run against every database (not a test
 * file itself: each adapter's `knowledge.int.test.ts` calls {@link describeKnowledgeContract}). Commands go
 * through `createCommandHandler` with the generic unit of work and the bindings of `@pet-ops/sql`.
 */
import {
  type CommandMetadata,
  type CommandRuntime,
  createCommandHandler,
  type EventDraft,
  type Identity,
  type Instant,
  Knowledge,
  type Uuid,
} from '@pet-ops/core';
import { fixedClock } from '@pet-ops/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeBindings, knowledgeCommentFacts } from '../contexts/knowledge.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { createEventStore, type SqlEventStore } from '../event-store/event-store.js';
import { type ColumnSpec, decodeColumn, encodeColumn } from '../state-table.js';
import { STATE_TABLES } from '../tables/index.js';
import {
  knowledgeArticlesTable,
  knowledgeCommentsTable,
  knowledgeLinksTable,
  knowledgeVersionsTable,
} from '../tables/knowledge.js';
import { createUnitOfWork } from '../unit-of-work.js';
import { caught, newId } from './event-store-contract.test.js';

/** One database under test: migrated with `prefix`, reached through Kysely and its {@link PetDialect}. */
export interface KnowledgeTarget {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly prefix: string;
  readonly close: () => Promise<void>;
}

type Row = Record<string, unknown>;
type Columns = Readonly<Record<string, ColumnSpec>>;

const at = (minutes: number): Instant =>
  new Date(Date.UTC(2026, 2, 1, 9) + minutes * 60_000).toISOString().replace('Z', '123Z') as Instant;
const employee = (): Identity.EmployeeId => newId() as string as Identity.EmployeeId;

/**
 * Declares the knowledge persistence contract tests for one database.
 *
 * @example
 * ```ts
 * describeKnowledgeContract('sqlite', async () => ({ db, dialect, prefix: 'pet_', close }));
 * ```
 */
export function describeKnowledgeContract(name: string, open: () => Promise<KnowledgeTarget>): void {
  describe(`knowledge persistence contract (${name})`, () => {
    let t: KnowledgeTarget;
    let events: SqlEventStore;
    let runtime: CommandRuntime;
    const author = employee();
    const editor = employee();
    const reader = employee();
    const metadata: CommandMetadata = { actor: { type: 'employee', id: author } };

    beforeAll(async () => {
      t = await open();
      events = createEventStore({ db: t.db, dialect: t.dialect, prefix: t.prefix });
      runtime = {
        unitOfWork: createUnitOfWork({ dialect: t.dialect, prefix: t.prefix, events, tables: STATE_TABLES }),
        registry: Knowledge.knowledgeEventRegistry,
        clock: fixedClock('2026-03-01T10:00:00.000000Z', 1),
        ids: { next: newId },
      };
    });
    afterAll(async () => {
      await t?.close();
    });

    const article = () => createCommandHandler(runtime, knowledgeBindings.article);
    const comment = () => createCommandHandler(runtime, knowledgeBindings.comment);
    const table = (logical: string) => `${t.prefix}${logical}`;

    async function rowsOf(logical: string, columns: Columns, where: string, id: string): Promise<Row[]> {
      const rows = (await t.db
        .selectFrom(table(logical))
        .selectAll()
        .where(where, '=', t.dialect.codecs.encodeId(id))
        .execute()) as Row[];
      return rows
        .map((r) => {
          const out: Row = {};
          for (const [column, spec] of Object.entries(columns))
            out[column] = decodeColumn(t.dialect.codecs, spec, r[column]);
          if ('version' in r) out['version'] = Number(r['version']);
          return out;
        })
        .sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
    }
    const articleRow = async (id: Uuid) =>
      (
        await rowsOf(
          'knowledge_articles',
          { id: { type: 'id' }, ...knowledgeArticlesTable.columns },
          'id',
          id,
        )
      )[0];
    const commentRow = async (id: Uuid) =>
      (
        await rowsOf(
          'knowledge_comments',
          { id: { type: 'id' }, ...knowledgeCommentsTable.columns },
          'id',
          id,
        )
      )[0];
    const versionRows = (id: Uuid) =>
      rowsOf('knowledge_versions', knowledgeVersionsTable.columns, 'article_id', id);
    const linkRows = (id: Uuid) => rowsOf('knowledge_links', knowledgeLinksTable.columns, 'article_id', id);

    async function exec(statement: ReturnType<typeof sql>): Promise<void> {
      try {
        await statement.execute(t.db);
      } catch (e) {
        throw t.dialect.classifyError(e, 'exec');
      }
    }

    /** A created article (draft, version 1), optionally published. */
    async function created(options: { publish?: boolean } = {}) {
      const articleId = newId() as string as Knowledge.ArticleId;
      const versionId = newId() as string as Knowledge.ArticleVersionId;
      const r = await article()({
        streamId: articleId as string as Uuid,
        command: {
          type: 'create',
          articleId,
          versionId,
          category: 'networking',
          title: 'VPN drops after sleep',
          content: 'Reconnect the VPN. 🦄',
          changeSummary: 'Initial version',
          authorEmployeeId: author,
          links: [],
          at: at(0),
        },
        metadata,
      });
      if (!r.ok) throw new Error(r.error.code);
      if (options.publish === true) {
        const p = await article()({
          streamId: articleId as string as Uuid,
          command: { type: 'publish', versionNumber: 1, publishedBy: editor, at: at(1) },
          metadata,
        });
        if (!p.ok) throw new Error(p.error.code);
      }
      return { articleId, streamId: articleId as string as Uuid, versionId };
    }

    /** Everything stored for an article, to show that a refused command wrote nothing. */
    async function snapshot(streamId: Uuid) {
      return {
        row: await articleRow(streamId),
        versions: await versionRows(streamId),
        links: await linkRows(streamId),
        events: (await events.readStream(streamId)).length,
      };
    }

    it('given an article, when it is created, revised, published, commented, answered, linked twice and archived, then its row, versions, links and comments are as the events say', async () => {
      const articleId = newId() as string as Knowledge.ArticleId;
      const streamId = articleId as string as Uuid;
      const [v1, v2] = [newId(), newId()] as string[] as Knowledge.ArticleVersionId[];
      const ticket = newId();
      const project = newId();
      const send = (command: Knowledge.ArticleCommand) => article()({ streamId, command, metadata });

      const create = await send({
        type: 'create',
        articleId,
        versionId: v1 as Knowledge.ArticleVersionId,
        category: 'networking',
        title: '  VPN drops after sleep ',
        content: 'Reconnect the VPN.\n',
        changeSummary: 'Initial version',
        authorEmployeeId: author,
        links: [{ kind: 'ticket', id: ticket }],
        at: at(0),
      });
      expect(create.ok && create.value.events.map((e) => e.type)).toEqual([
        'knowledge.created',
        'knowledge.linked',
      ]);
      expect(await articleRow(streamId)).toMatchObject({
        id: streamId,
        version: 2,
        state: 'draft',
        category: 'networking',
        title: 'VPN drops after sleep',
        current_version_id: v1,
        current_version_number: 1,
        published_version_id: null,
        published_version_number: null,
        created_by_employee_id: author,
        created_at: at(0),
        archived_at: null,
      });

      const revise = await send({
        type: 'revise',
        versionId: v2 as Knowledge.ArticleVersionId,
        basedOnVersionNumber: 1,
        title: 'VPN drops after sleep (macOS)',
        content: 'Reconnect the VPN.\nOn macOS, disable power nap.',
        changeSummary: 'Added the macOS steps',
        authorEmployeeId: editor,
        at: at(10),
      });
      expect(revise.ok).toBe(true);
      const publish = await send({ type: 'publish', versionNumber: 2, publishedBy: editor, at: at(20) });
      expect(publish.ok).toBe(true);
      expect(await articleRow(streamId)).toMatchObject({
        version: 4,
        state: 'published',
        title: 'VPN drops after sleep (macOS)',
        current_version_id: v2,
        current_version_number: 2,
        published_version_id: v2,
        published_version_number: 2,
      });

      const rated = { commentId: newId() as string as Knowledge.CommentId, rating: 4 as const };
      const first: Knowledge.PostComment = {
        type: 'post',
        commentId: rated.commentId,
        articleId,
        articleVersionId: v2 as Knowledge.ArticleVersionId,
        authorEmployeeId: reader,
        body: 'Worked for me, but step 2 needs a reboot.',
        rating: rated.rating,
        parentCommentId: null,
        at: at(30),
      };
      const posted = await comment()({
        streamId: first.commentId as string as Uuid,
        command: first,
        metadata: { actor: { type: 'employee', id: reader } },
        loadFacts: knowledgeCommentFacts(first),
      });
      expect(posted.ok).toBe(true);
      const reply: Knowledge.PostComment = {
        ...first,
        commentId: newId() as string as Knowledge.CommentId,
        articleVersionId: v1 as Knowledge.ArticleVersionId,
        authorEmployeeId: editor,
        body: 'Thanks: the reboot is in version 2.',
        rating: null,
        parentCommentId: first.commentId,
        at: at(31),
      };
      const answered = await comment()({
        streamId: reply.commentId as string as Uuid,
        command: reply,
        metadata,
        loadFacts: knowledgeCommentFacts(reply),
      });
      expect(answered.ok).toBe(true);
      expect(await commentRow(first.commentId as string as Uuid)).toEqual({
        id: first.commentId,
        version: 1,
        article_id: articleId,
        article_version_id: v2,
        version_number: 2,
        author_employee_id: reader,
        body: first.body,
        rating: 4,
        parent_comment_id: null,
        created_at: at(30),
      });
      expect(await commentRow(reply.commentId as string as Uuid)).toMatchObject({
        article_version_id: v1,
        version_number: 1,
        rating: null,
        parent_comment_id: first.commentId,
      });

      const link = {
        type: 'link',
        targets: [
          { kind: 'project', id: project },
          { kind: 'ticket', id: ticket },
        ],
        linkedBy: editor,
        at: at(40),
      } as const;
      const linked = await send(link);
      expect(linked.ok && linked.value.events.map((e) => e.type)).toEqual(['knowledge.linked']);
      const again = await send({ ...link, at: at(41) });
      expect(again.ok && again.value).toMatchObject({ events: [], version: 5, duplicate: false });

      const archive = await send({ type: 'archive', archivedBy: editor, reason: ' Superseded ', at: at(50) });
      expect(archive.ok).toBe(true);
      expect(await articleRow(streamId)).toMatchObject({
        version: 6,
        state: 'archived',
        published_version_number: 2,
        archived_by_employee_id: editor,
        archive_reason: 'Superseded',
        archived_at: at(50),
      });
      const versions = await versionRows(streamId);
      expect(versions.sort((a, b) => Number(a['version_number']) - Number(b['version_number']))).toEqual([
        {
          id: v1,
          article_id: articleId,
          version_number: 1,
          title: 'VPN drops after sleep',
          content: 'Reconnect the VPN.\n',
          change_summary: 'Initial version',
          author_employee_id: author,
          created_at: at(0),
        },
        {
          id: v2,
          article_id: articleId,
          version_number: 2,
          title: 'VPN drops after sleep (macOS)',
          content: 'Reconnect the VPN.\nOn macOS, disable power nap.',
          change_summary: 'Added the macOS steps',
          author_employee_id: editor,
          created_at: at(10),
        },
      ]);
      const links = await linkRows(streamId);
      expect(links.map((l) => [l['kind'], l['target_id'], l['linked_by_employee_id']]).sort()).toEqual(
        [
          ['project', project, editor],
          ['ticket', ticket, author],
        ].sort(),
      );
      const loaded = await runtime.unitOfWork.run((s) =>
        s.aggregate(knowledgeBindings.article.definition).load(streamId),
      );
      expect(archive.ok && archive.value.state).toEqual(loaded.state);
      expect(loaded.version).toBe(6);

      // fold = row: the article's events, replayed, give the stored row and child rows.
      const stored = await events.readStream(streamId);
      const folded = stored.reduce(
        (s, e) => Knowledge.evolveArticle(s, e as unknown as Knowledge.ArticleEvent),
        Knowledge.initialArticleState(),
      );
      expect(folded).toEqual(loaded.state);
      const { id: _id, version: _version, ...row } = (await articleRow(streamId)) as Row;
      expect(knowledgeArticlesTable.toRow(folded)).toEqual(row);
      const replayed = (child: typeof knowledgeVersionsTable | typeof knowledgeLinksTable) =>
        stored
          .flatMap((e) => (child.rowsOf as (e: EventDraft, id: string) => readonly Row[])(e, streamId))
          .sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
      expect(replayed(knowledgeVersionsTable)).toEqual(await versionRows(streamId));
      expect(replayed(knowledgeLinksTable)).toEqual(await linkRows(streamId));
      for (const c of [first, reply]) {
        const cid = c.commentId as string as Uuid;
        const foldedComment = (await events.readStream(cid)).reduce(
          (s, e) => Knowledge.evolveComment(s, e as unknown as Knowledge.CommentEvent),
          Knowledge.initialCommentState(),
        );
        const { id: _c, version: _v, ...commentStored } = (await commentRow(cid)) as Row;
        expect(knowledgeCommentsTable.toRow(foldedComment)).toEqual(commentStored);
      }
    });

    it('given an article event, then it carries the article and the linked target as envelope context', async () => {
      const { streamId } = await created();
      const ticket = newId();
      await article()({
        streamId,
        command: { type: 'link', targets: [{ kind: 'ticket', id: ticket }], linkedBy: null, at: at(5) },
        metadata,
      });
      const stored = await events.readStream(streamId);
      expect(stored.map((e) => e.context)).toEqual([
        { articleId: streamId },
        { articleId: streamId, ticketId: ticket },
      ]);
    });

    it('given refused article commands, then each names its code and nothing is written', async () => {
      const draft = await created();
      const published = await created({ publish: true });
      const archived = await created({ publish: true });
      const archivedOk = await article()({
        streamId: archived.streamId,
        command: { type: 'archive', archivedBy: editor, reason: null, at: at(3) },
        metadata,
      });
      expect(archivedOk.ok).toBe(true);
      const revise = (basedOnVersionNumber: number, versionId: string, content: string) => ({
        type: 'revise' as const,
        versionId: versionId as Knowledge.ArticleVersionId,
        basedOnVersionNumber,
        title: 'VPN drops after sleep',
        content,
        changeSummary: 'Edit',
        authorEmployeeId: editor,
        at: at(7),
      });
      const cases: [string, Uuid, Knowledge.ArticleCommand][] = [
        [
          'KNOWLEDGE_ARTICLE_ALREADY_EXISTS',
          draft.streamId,
          {
            type: 'create',
            articleId: draft.articleId,
            versionId: newId() as string as Knowledge.ArticleVersionId,
            category: 'general',
            title: 'Again',
            content: 'Again',
            changeSummary: 'Initial version',
            authorEmployeeId: author,
            links: [],
            at: at(7),
          },
        ],
        [
          'KNOWLEDGE_ARTICLE_NOT_FOUND',
          newId(),
          { type: 'publish', versionNumber: 1, publishedBy: editor, at: at(7) },
        ],
        ['KNOWLEDGE_ARTICLE_ARCHIVED', archived.streamId, revise(1, newId(), 'New text')],
        ['KNOWLEDGE_VERSION_MISMATCH', published.streamId, revise(2, newId(), 'New text')],
        ['KNOWLEDGE_VERSION_ID_TAKEN', published.streamId, revise(1, published.versionId, 'New text')],
        ['KNOWLEDGE_CONTENT_UNCHANGED', published.streamId, revise(1, newId(), 'Reconnect the VPN. 🦄')],
        [
          'KNOWLEDGE_ALREADY_PUBLISHED',
          published.streamId,
          { type: 'publish', versionNumber: 1, publishedBy: editor, at: at(7) },
        ],
        [
          'KNOWLEDGE_NOT_PUBLISHED',
          draft.streamId,
          { type: 'archive', archivedBy: editor, reason: null, at: at(7) },
        ],
      ];
      for (const [code, streamId, command] of cases) {
        const before = await snapshot(streamId);
        const r = await article()({ streamId, command, metadata });
        expect(r.ok ? 'ok' : r.error.code, code).toBe(code);
        expect(await snapshot(streamId), code).toEqual(before);
      }
      expect((await snapshot(cases[1]?.[1] as Uuid)).row).toBeUndefined();
    });

    it('given refused comments, then each names its code and no comment row or event is written', async () => {
      const open = await created({ publish: true });
      const other = await created({ publish: true });
      const archived = await created({ publish: true });
      await article()({
        streamId: archived.streamId,
        command: { type: 'archive', archivedBy: editor, reason: null, at: at(3) },
        metadata,
      });
      const post = (over: Partial<Knowledge.PostComment>): Knowledge.PostComment => ({
        type: 'post',
        commentId: newId() as string as Knowledge.CommentId,
        articleId: open.articleId,
        articleVersionId: open.versionId,
        authorEmployeeId: reader,
        body: 'Helpful.',
        rating: 5,
        parentCommentId: null,
        at: at(9),
        ...over,
      });
      const send = (command: Knowledge.PostComment, withFacts = true) =>
        comment()({
          streamId: command.commentId as string as Uuid,
          command,
          metadata,
          ...(withFacts ? { loadFacts: knowledgeCommentFacts(command) } : {}),
        });
      const elsewhere = post({ articleId: other.articleId, articleVersionId: other.versionId });
      expect((await send(elsewhere)).ok).toBe(true);
      const cases: [string, Knowledge.PostComment, boolean][] = [
        ['KNOWLEDGE_ARTICLE_NOT_FOUND', post({ articleId: newId() as string as Knowledge.ArticleId }), true],
        [
          'KNOWLEDGE_ARTICLE_ARCHIVED',
          post({ articleId: archived.articleId, articleVersionId: archived.versionId }),
          true,
        ],
        ['KNOWLEDGE_VERSION_NOT_FOUND', post({ articleVersionId: other.versionId }), true],
        ['KNOWLEDGE_PARENT_NOT_IN_ARTICLE', post({ parentCommentId: elsewhere.commentId }), true],
        [
          'KNOWLEDGE_PARENT_NOT_IN_ARTICLE',
          post({ parentCommentId: newId() as string as Knowledge.CommentId }),
          true,
        ],
        ['KNOWLEDGE_FACTS_MISSING', post({}), false],
        ['KNOWLEDGE_COMMENT_ALREADY_EXISTS', { ...elsewhere, body: 'Edited.' }, true],
      ];
      for (const [code, command, withFacts] of cases) {
        const id = command.commentId as string as Uuid;
        const [rowBefore, eventsBefore] = [await commentRow(id), (await events.readStream(id)).length];
        const r = await send(command, withFacts);
        expect(r.ok ? 'ok' : r.error.code, code).toBe(code);
        expect(await commentRow(id), code).toEqual(rowBefore);
        expect((await events.readStream(id)).length, code).toBe(eventsBefore);
      }
      expect(await commentRow(elsewhere.commentId as string as Uuid)).toMatchObject({ body: 'Helpful.' });
    });

    it('given an invalid command, when handled, then VALIDATION_FAILED names the field and nothing is written', async () => {
      const { streamId, articleId, versionId } = await created({ publish: true });
      const command = {
        type: 'post',
        commentId: newId() as string as Knowledge.CommentId,
        articleId,
        articleVersionId: versionId,
        authorEmployeeId: reader,
        body: 'Six stars',
        rating: 6 as Knowledge.Rating,
        parentCommentId: null,
        at: at(9),
      } as const;
      const e = await caught(
        comment()({
          streamId: command.commentId as string as Uuid,
          command,
          metadata,
          loadFacts: knowledgeCommentFacts(command),
        }),
      );
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(e.details)).toContain('rating');
      expect(await commentRow(command.commentId as string as Uuid)).toBeUndefined();
      expect((await snapshot(streamId)).events).toBe(2);
    });

    it('given a command resent with its idempotency key, then it is a duplicate and no child row is written twice', async () => {
      const { streamId } = await created();
      const command = {
        type: 'link',
        targets: [{ kind: 'customer', id: newId() }],
        linkedBy: editor,
        at: at(4),
      } as const;
      const keyed = { ...metadata, idempotencyKey: `link-${streamId}` };
      const first = await article()({ streamId, command, metadata: keyed });
      const again = await article()({ streamId, command, metadata: keyed });
      expect(first.ok && first.value.duplicate).toBe(false);
      expect(again.ok && again.value.duplicate).toBe(true);
      expect(await linkRows(streamId)).toHaveLength(1);
      expect((await articleRow(streamId))?.['version']).toBe(2);
    });

    it('given stored versions, links and comments, when a raw UPDATE or DELETE targets them, then the database refuses it (IMMUTABLE_ROW) and the rows are unchanged', async () => {
      const { streamId, articleId, versionId } = await created({ publish: true });
      await article()({
        streamId,
        command: { type: 'link', targets: [{ kind: 'task', id: newId() }], linkedBy: editor, at: at(2) },
        metadata,
      });
      const posted: Knowledge.PostComment = {
        type: 'post',
        commentId: newId() as string as Knowledge.CommentId,
        articleId,
        articleVersionId: versionId,
        authorEmployeeId: reader,
        body: 'Keep me.',
        rating: 3,
        parentCommentId: null,
        at: at(3),
      };
      await comment()({
        streamId: posted.commentId as string as Uuid,
        command: posted,
        metadata,
        loadFacts: knowledgeCommentFacts(posted),
      });
      const key = t.dialect.codecs.encodeId(streamId);
      const commentKey = t.dialect.codecs.encodeId(posted.commentId);
      const before = [
        await versionRows(streamId),
        await linkRows(streamId),
        await commentRow(posted.commentId as string as Uuid),
      ];
      const attempts = [
        sql`UPDATE ${sql.table(table('knowledge_versions'))} SET content = ${'silently edited'} WHERE article_id = ${key}`,
        sql`DELETE FROM ${sql.table(table('knowledge_versions'))} WHERE article_id = ${key}`,
        sql`UPDATE ${sql.table(table('knowledge_links'))} SET target_id = ${key} WHERE article_id = ${key}`,
        sql`DELETE FROM ${sql.table(table('knowledge_links'))} WHERE article_id = ${key}`,
        sql`UPDATE ${sql.table(table('knowledge_comments'))} SET body = ${'edited'} WHERE id = ${commentKey}`,
        sql`DELETE FROM ${sql.table(table('knowledge_comments'))} WHERE id = ${commentKey}`,
      ];
      for (const statement of attempts) expect((await caught(exec(statement))).code).toBe('IMMUTABLE_ROW');
      expect([
        await versionRows(streamId),
        await linkRows(streamId),
        await commentRow(posted.commentId as string as Uuid),
      ]).toEqual(before);
    });

    it('given a stored version and link, when a second row repeats (article, version number) or (article, kind, target), then the database refuses it (DUPLICATE_KEY)', async () => {
      const { streamId, versionId } = await created();
      const target = newId();
      await article()({
        streamId,
        command: { type: 'link', targets: [{ kind: 'ticket', id: target }], linkedBy: null, at: at(2) },
        metadata,
      });
      const encode = (columns: Columns, row: Row): Row =>
        Object.fromEntries(
          Object.entries(columns).map(([c, spec]) => [c, encodeColumn(t.dialect.codecs, spec, row[c])]),
        );
      const [version] = await versionRows(streamId);
      const [link] = await linkRows(streamId);
      expect(version?.['id']).toBe(versionId);
      const dupVersion = t.db
        .insertInto(table('knowledge_versions'))
        .values(encode(knowledgeVersionsTable.columns, { ...version, id: newId() }))
        .execute();
      const dupLink = t.db
        .insertInto(table('knowledge_links'))
        .values(encode(knowledgeLinksTable.columns, { ...link, id: newId() }))
        .execute();
      for (const attempt of [dupVersion, dupLink]) {
        const e = await attempt.then(
          () => undefined,
          (x: unknown) => t.dialect.classifyError(x, 'insert'),
        );
        expect(e?.code).toBe('DUPLICATE_KEY');
      }
    });
  });
}
