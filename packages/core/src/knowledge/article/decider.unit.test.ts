import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import type { LinkTarget } from '../fields.js';
import { article, at, customer, emp, project, task, ticket, tracked, version } from '../test-support.test.js';
import { articleCommandSchema, type CreateArticle } from './commands.js';
import { articleDecider } from './decider.js';
import type { ArticleEvent } from './events.js';
import { ARTICLE_REJECTION_CODES } from './rejections.js';
import { type ArticleState, currentVersion, publishedVersion, versionByNumber } from './state.js';

const { decider, seen } = tracked(articleDecider);
const spec = DeciderSpecification.for(decider);

const a1 = article(1);
const ada = emp(1);
const bob = emp(2);
const onTicket: LinkTarget = { kind: 'ticket', id: ticket(1) };
const onCustomer: LinkTarget = { kind: 'customer', id: customer(1) };

const create: CreateArticle = {
  type: 'create',
  articleId: a1,
  versionId: version(1),
  category: ' networking ',
  title: ' VPN drops after sleep ',
  content: '  Disable power saving on the adapter.\n',
  changeSummary: ' Initial version ',
  authorEmployeeId: ada,
  links: [],
  at: at(0),
};
const v1 = {
  versionId: version(1),
  versionNumber: 1,
  title: 'VPN drops after sleep',
  content: '  Disable power saving on the adapter.\n',
  changeSummary: 'Initial version',
  authorEmployeeId: ada,
};
const created: ArticleEvent = {
  type: 'knowledge.created',
  payload: { articleId: a1, category: 'networking', version: v1, at: at(0) },
};
const publishedV1: ArticleEvent = {
  type: 'knowledge.published',
  payload: {
    articleId: a1,
    versionId: version(1),
    versionNumber: 1,
    previousVersionNumber: null,
    publishedBy: bob,
    at: at(10),
  },
};
const v2 = {
  versionId: version(2),
  versionNumber: 2,
  title: 'VPN drops after sleep',
  content: 'Disable power saving on the adapter, then reboot.',
  changeSummary: 'Reboot needed',
  authorEmployeeId: bob,
};
const revisedV2: ArticleEvent = {
  type: 'knowledge.revised',
  payload: { articleId: a1, version: v2, at: at(20) },
};
const publishedV2: ArticleEvent = {
  type: 'knowledge.published',
  payload: {
    articleId: a1,
    versionId: version(2),
    versionNumber: 2,
    previousVersionNumber: 1,
    publishedBy: ada,
    at: at(30),
  },
};
const archived: ArticleEvent = {
  type: 'knowledge.archived',
  payload: { articleId: a1, publishedVersionNumber: 1, archivedBy: bob, reason: 'Replaced', at: at(40) },
};
const linked = (target: LinkTarget, minute = 5, linkedBy: typeof ada | null = ada): ArticleEvent => ({
  type: 'knowledge.linked',
  payload: { articleId: a1, target, linkedBy, at: at(minute) },
});
const revise = (basedOnVersionNumber: number, content: string, n = 2) =>
  ({
    type: 'revise',
    versionId: version(n),
    basedOnVersionNumber,
    title: ' VPN drops after sleep ',
    content,
    changeSummary: ' Reboot needed ',
    authorEmployeeId: bob,
    at: at(20),
  }) as const;

const fold = (events: readonly ArticleEvent[]): ArticleState =>
  events.reduce(articleDecider.evolve, articleDecider.initialState());

describe('article: create', () => {
  test('given nothing, when created, then knowledge.created with version 1 (title trimmed, content verbatim) in draft', () => {
    spec.given([]).when(create).then([created]);
    const s = fold([created]);
    expect(s.status).toBe('draft');
    if (s.status === 'absent') throw new Error('unreachable');
    expect(currentVersion(s)).toEqual({ ...v1, createdAt: at(0) });
    expect(publishedVersion(s)).toBeNull();
    expect(s.createdBy).toBe(ada);
  });

  test('when created with links, then one knowledge.linked per distinct target, by the author', () => {
    spec
      .given([])
      .when({ ...create, links: [onTicket, onCustomer, onTicket] })
      .then([created, linked(onTicket, 0), linked(onCustomer, 0)]);
  });

  test('given an existing article, when created again, then KNOWLEDGE_ARTICLE_ALREADY_EXISTS', () => {
    spec.given([created]).when(create).thenRejects('KNOWLEDGE_ARTICLE_ALREADY_EXISTS', { status: 'draft' });
  });

  test('given no article, when anything but create, then KNOWLEDGE_ARTICLE_NOT_FOUND', () => {
    spec.given([]).when(revise(1, 'x')).thenRejects('KNOWLEDGE_ARTICLE_NOT_FOUND');
    spec
      .given([])
      .when({ type: 'link', targets: [onTicket], linkedBy: ada, at: at(1) })
      .thenRejects('KNOWLEDGE_ARTICLE_NOT_FOUND');
  });
});

describe('article: revise (every content change is a new version)', () => {
  test('given a draft, when revised, then version 2 and the article stays a draft', () => {
    spec.given([created]).when(revise(1, v2.content)).then([revisedV2]);
    expect(fold([created, revisedV2]).status).toBe('draft');
  });

  test('given a published article, when revised, then it is revised and readers still see the published version', () => {
    spec.given([created, publishedV1]).when(revise(1, v2.content)).then([revisedV2]);
    const s = fold([created, publishedV1, revisedV2]);
    expect(s.status).toBe('revised');
    if (s.status === 'absent') throw new Error('unreachable');
    expect(publishedVersion(s)?.content).toBe(v1.content);
    expect(currentVersion(s).versionNumber).toBe(2);
    expect(versionByNumber(s, 1)).toEqual({ ...v1, createdAt: at(0) });
  });

  test('given a revised article, when revised again, then version 3 on top (still revised)', () => {
    const v3 = {
      ...v2,
      versionId: version(3),
      versionNumber: 3,
      content: 'third',
      changeSummary: 'Reboot needed',
    };
    spec
      .given([created, publishedV1, revisedV2])
      .when(revise(2, 'third', 3))
      .then([{ type: 'knowledge.revised', payload: { articleId: a1, version: v3, at: at(20) } }]);
  });

  test('when the edit was based on an older version, then KNOWLEDGE_VERSION_MISMATCH (no lost update)', () => {
    spec
      .given([created, revisedV2])
      .when(revise(1, 'stale edit', 3))
      .thenRejects('KNOWLEDGE_VERSION_MISMATCH', { basedOnVersionNumber: 1, currentVersionNumber: 2 });
  });

  test('when the new version id is already a version of the article, then KNOWLEDGE_VERSION_ID_TAKEN', () => {
    spec
      .given([created])
      .when(revise(1, 'new text', 1))
      .thenRejects('KNOWLEDGE_VERSION_ID_TAKEN', { versionId: version(1), versionNumber: 1 });
  });

  test('when title and content equal the current version, then KNOWLEDGE_CONTENT_UNCHANGED', () => {
    spec
      .given([created])
      .when(revise(1, v1.content))
      .thenRejects('KNOWLEDGE_CONTENT_UNCHANGED', { currentVersionNumber: 1 });
  });

  test('a title-only change is a content change too', () => {
    spec
      .given([created])
      .when({ ...revise(1, v1.content), title: 'VPN drops after sleep (Windows)' })
      .then([
        {
          type: 'knowledge.revised',
          payload: {
            articleId: a1,
            version: { ...v2, title: 'VPN drops after sleep (Windows)', content: v1.content },
            at: at(20),
          },
        },
      ]);
  });
});

describe('article: publish', () => {
  test('given a draft, when its current version is published, then knowledge.published (no previous)', () => {
    spec
      .given([created])
      .when({ type: 'publish', versionNumber: 1, publishedBy: bob, at: at(10) })
      .then([publishedV1]);
  });

  test('given a revised article, when the new version is published, then it replaces the old one, which stays in history', () => {
    spec
      .given([created, publishedV1, revisedV2])
      .when({ type: 'publish', versionNumber: 2, publishedBy: ada, at: at(30) })
      .then([publishedV2]);
    const s = fold([created, publishedV1, revisedV2, publishedV2]);
    expect(s.status).toBe('published');
    if (s.status === 'absent') throw new Error('unreachable');
    expect(s.publications.map((p) => p.versionNumber)).toEqual([1, 2]);
    expect(versionByNumber(s, 1)?.content).toBe(v1.content);
    expect(publishedVersion(s)?.content).toBe(v2.content);
  });

  test('when the publisher reviewed another version than the current one, then KNOWLEDGE_VERSION_MISMATCH', () => {
    spec
      .given([created, publishedV1, revisedV2])
      .when({ type: 'publish', versionNumber: 1, publishedBy: ada, at: at(30) })
      .thenRejects('KNOWLEDGE_VERSION_MISMATCH', { versionNumber: 1, currentVersionNumber: 2 });
  });

  test('given a published article, when published again, then KNOWLEDGE_ALREADY_PUBLISHED', () => {
    spec
      .given([created, publishedV1])
      .when({ type: 'publish', versionNumber: 1, publishedBy: ada, at: at(30) })
      .thenRejects('KNOWLEDGE_ALREADY_PUBLISHED', { publishedVersionNumber: 1 });
  });
});

describe('article: archive (terminal)', () => {
  test('given a published article, when archived, then knowledge.archived naming what readers last saw', () => {
    spec
      .given([created, publishedV1])
      .when({ type: 'archive', archivedBy: bob, reason: ' Replaced ', at: at(40) })
      .then([archived]);
  });

  test('given a revised article, when archived, then the pending revision stays in history', () => {
    spec
      .given([created, publishedV1, revisedV2])
      .when({ type: 'archive', archivedBy: bob, reason: null, at: at(40) })
      .then([{ ...archived, payload: { ...archived.payload, reason: null } } as ArticleEvent]);
    const s = fold([created, publishedV1, revisedV2, archived]);
    expect(s.status).toBe('archived');
    if (s.status === 'absent') throw new Error('unreachable');
    expect(s.versions).toHaveLength(2);
  });

  test('given a draft, when archived, then KNOWLEDGE_NOT_PUBLISHED', () => {
    spec
      .given([created])
      .when({ type: 'archive', archivedBy: bob, reason: null, at: at(40) })
      .thenRejects('KNOWLEDGE_NOT_PUBLISHED', { status: 'draft', currentVersionNumber: 1 });
  });

  test('given an archived article, when anything, then KNOWLEDGE_ARTICLE_ARCHIVED (nothing leaves archived)', () => {
    const history = [created, publishedV1, archived];
    spec
      .given(history)
      .when(revise(1, 'x'))
      .thenRejects('KNOWLEDGE_ARTICLE_ARCHIVED', { archivedAt: at(40) });
    spec
      .given(history)
      .when({ type: 'publish', versionNumber: 1, publishedBy: ada, at: at(50) })
      .thenRejects('KNOWLEDGE_ARTICLE_ARCHIVED');
    spec
      .given(history)
      .when({ type: 'archive', archivedBy: ada, reason: null, at: at(50) })
      .thenRejects('KNOWLEDGE_ARTICLE_ARCHIVED');
    spec
      .given(history)
      .when({ type: 'link', targets: [onTicket], linkedBy: ada, at: at(50) })
      .thenRejects('KNOWLEDGE_ARTICLE_ARCHIVED');
  });
});

describe('article: links (idempotent: linking twice is a no-op)', () => {
  test('given an article, when linked to a ticket, project, task and customer, then one event each', () => {
    const targets: LinkTarget[] = [
      onTicket,
      { kind: 'project', id: project(1) },
      { kind: 'task', id: task(1) },
      onCustomer,
    ];
    spec
      .given([created])
      .when({ type: 'link', targets, linkedBy: null, at: at(5) })
      .then(targets.map((t) => linked(t, 5, null)));
  });

  test('given a linked ticket, when linked again (with a new customer), then only the new target is linked', () => {
    spec
      .given([created, linked(onTicket)])
      .when({ type: 'link', targets: [onTicket, onCustomer, onCustomer], linkedBy: ada, at: at(6) })
      .then([linked(onCustomer, 6)]);
  });

  test('given every target linked, when linked again, then no event and no rejection', () => {
    spec
      .given([created, linked(onTicket)])
      .when({ type: 'link', targets: [onTicket], linkedBy: bob, at: at(7) })
      .then([]);
  });

  test('links survive revision and publication, and drafts can be linked', () => {
    const s = fold([created, linked(onTicket), publishedV1, revisedV2, publishedV2]);
    if (s.status === 'absent') throw new Error('unreachable');
    expect(s.links).toEqual([{ target: onTicket, linkedBy: ada, linkedAt: at(5) }]);
  });
});

describe('article commands: schema', () => {
  test('defaults: category general, the first change summary, no links; the content stays verbatim', () => {
    const parsed = articleCommandSchema.parse({
      type: 'create',
      articleId: a1,
      versionId: version(1),
      title: ' T ',
      content: '  body  ',
      authorEmployeeId: ada,
      at: at(0),
    });
    expect(parsed).toMatchObject({
      category: 'general',
      changeSummary: 'Initial version',
      links: [],
      title: 'T',
      content: '  body  ',
    });
  });

  test('bad input names each field and rule', () => {
    const r = articleCommandSchema.safeParse({
      type: 'revise',
      versionId: 'nope',
      basedOnVersionNumber: 0,
      title: ' ',
      content: '   ',
      changeSummary: '',
      authorEmployeeId: ada,
      at: at(0),
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'basedOnVersionNumber',
      'changeSummary',
      'content',
      'title',
      'versionId',
    ]);
    const link = articleCommandSchema.safeParse({
      type: 'link',
      targets: [{ kind: 'invoice', id: ticket(1) }],
      linkedBy: null,
      at: at(0),
    });
    expect(link.error?.issues.map((i) => i.path.join('.'))).toEqual(['targets.0.kind']);
  });
});

test('every article rejection code is exercised above', () => {
  expect([...seen].sort()).toEqual([...ARTICLE_REJECTION_CODES].sort());
});
