import { z } from 'zod';
import { type Uuid, uuidV7Schema } from '../kernel/index.js';

/**
 * An article title (a version's title): 1–255 characters after trimming, stored trimmed.
 *
 * @example `articleTitleSchema.parse('  VPN drops after sleep ')` → `'VPN drops after sleep'`
 */
export const articleTitleSchema: z.ZodType<string, string> = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(255, 'must be at most 255 characters');

/** Longest article content accepted (characters); LONGTEXT holds far more, this keeps rows sane. @example `content.length <= MAX_ARTICLE_CONTENT_LENGTH` */
export const MAX_ARTICLE_CONTENT_LENGTH = 1_000_000;

/**
 * A version's content: stored verbatim (free text is never trimmed or rewritten), not blank, at most
 * {@link MAX_ARTICLE_CONTENT_LENGTH} characters.
 *
 * @example `articleContentSchema.safeParse('   ').success` → `false` (blank)
 */
export const articleContentSchema: z.ZodType<string, string> = z
  .string()
  .max(MAX_ARTICLE_CONTENT_LENGTH, `must be at most ${MAX_ARTICLE_CONTENT_LENGTH} characters`)
  .refine((s) => s.trim().length > 0, 'must not be blank');

/**
 * A version's change summary ("what changed and why"): 1–500 characters after trimming.
 *
 * @example `changeSummarySchema.parse(' Added the macOS steps ')` → `'Added the macOS steps'`
 */
export const changeSummarySchema: z.ZodType<string, string> = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(500, 'must be at most 500 characters');

/**
 * An article category (`knowledge_articles.category`, VARCHAR(50), PET's default `general`): 1–50
 * characters after trimming.
 *
 * @example `articleCategorySchema.parse('networking')`
 */
export const articleCategorySchema: z.ZodType<string, string> = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(50, 'must be at most 50 characters');

/** The category PET gives an article when none is named. @example `{ category: DEFAULT_ARTICLE_CATEGORY }` */
export const DEFAULT_ARTICLE_CATEGORY = 'general';

/** Longest comment body accepted (characters; a TEXT column holds 65 535 bytes). @example `body.length <= MAX_COMMENT_BODY_LENGTH` */
export const MAX_COMMENT_BODY_LENGTH = 16_000;

/**
 * A comment body: verbatim, not blank, at most {@link MAX_COMMENT_BODY_LENGTH} characters.
 *
 * @example `commentBodySchema.parse('Step 3 also needs a reboot.')`
 */
export const commentBodySchema: z.ZodType<string, string> = z
  .string()
  .max(MAX_COMMENT_BODY_LENGTH, `must be at most ${MAX_COMMENT_BODY_LENGTH} characters`)
  .refine((s) => s.trim().length > 0, 'must not be blank');

/** A comment's optional rating of the version it comments on: 1 (useless) … 5 (solved my problem). */
export type Rating = 1 | 2 | 3 | 4 | 5;

/**
 * Zod schema of a {@link Rating}: a whole number 1–5 (`knowledge_comments.rating TINYINT NULL`).
 *
 * @example `ratingSchema.safeParse(6).success` → `false`
 */
export const ratingSchema: z.ZodType<Rating, number> = z.literal([1, 2, 3, 4, 5], {
  message: 'must be a whole number 1..5',
});

/** What an article can be linked to (spec §2.26: ticket, project, task and customer links). */
export type LinkKind = 'ticket' | 'project' | 'task' | 'customer';

/**
 * Every {@link LinkKind}, in the order the spec names them.
 *
 * @example `LINK_KINDS.includes(kind)`
 */
export const LINK_KINDS: readonly LinkKind[] = ['ticket', 'project', 'task', 'customer'];

/**
 * One link target: the kind and the id of the ticket, project, task or customer (a CRM company). Ids
 * are plain UUIDv7s so that this context does not depend on the delivery, support or CRM deciders.
 */
export interface LinkTarget {
  readonly kind: LinkKind;
  readonly id: Uuid;
}

/**
 * Zod schema of a {@link LinkTarget}.
 *
 * @example `linkTargetSchema.parse({ kind: 'ticket', id: ticketId })`
 */
export const linkTargetSchema: z.ZodType<LinkTarget> = z
  .object({ kind: z.enum(['ticket', 'project', 'task', 'customer']), id: uuidV7Schema })
  .strict();

/** True when two link targets name the same thing. @example `sameTarget(a, b)` */
export function sameTarget(a: LinkTarget, b: LinkTarget): boolean {
  return a.kind === b.kind && a.id === b.id;
}

/**
 * The targets without repeats, first occurrence kept (a command may name a target twice).
 *
 * @example `distinctTargets([t, t, u])` → `[t, u]`
 */
export function distinctTargets(targets: readonly LinkTarget[]): readonly LinkTarget[] {
  const out: LinkTarget[] = [];
  for (const t of targets) if (!out.some((o) => sameTarget(o, t))) out.push(t);
  return out;
}

/**
 * Why an article is archived (optional on the command): 1–500 characters after trimming.
 *
 * @example `archiveReasonSchema.parse(' Superseded by the v2 runbook ')`
 */
export const archiveReasonSchema: z.ZodType<string, string> = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(500, 'must be at most 500 characters');
