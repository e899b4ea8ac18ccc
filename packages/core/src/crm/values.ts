import { z } from 'zod';
import {
  type Brand,
  err,
  ok,
  type Rejection,
  type Result,
  reject,
  ValidationError,
} from '../kernel/index.js';

/** A website in canonical form: lower-case host (without `www.`), optional port and path, no scheme, no trailing slash. */
export type NormalizedWebsite = Brand<string, 'NormalizedWebsite'>;
/** An e-mail address trimmed and lower-cased: the form under which people's e-mails are unique. */
export type NormalizedEmail = Brand<string, 'NormalizedEmail'>;

const SCHEME_RE = /^[a-z][a-z0-9+.-]*:\/\//;
const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD_RE = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const PATH_RE = /^(?:\/[a-z0-9._~%!$&'()*+,;=:@-]*)*$/;
/**
 * Longest stored website (the `companies.website` column).
 *
 * @example `col.text('website', MAX_WEBSITE_LENGTH, { nullable: true })`
 */
export const MAX_WEBSITE_LENGTH = 255;

/**
 * Normalises a company website the way uniqueness is checked: trimmed, lower-cased, the scheme
 * (`https://`, `http://`, …) removed, leading `www.` removed (while a domain remains), trailing slashes
 * removed. What is left must be a DNS host name with a dot (ASCII; IDNs in punycode), an optional port
 * and an optional path; queries, fragments, credentials and spaces make it malformed. Idempotent.
 *
 * @example
 * ```ts
 * normalizeWebsite(' HTTPS://www.Example.com/ '); // { ok: true, value: 'example.com' }
 * normalizeWebsite('not a site');                 // { ok: false, error: { code: 'WEBSITE_MALFORMED', … } }
 * ```
 */
export function normalizeWebsite(raw: string): Result<NormalizedWebsite, Rejection<'WEBSITE_MALFORMED'>> {
  mustBeString(raw, 'website');
  const malformed = (why: string) =>
    err(reject('WEBSITE_MALFORMED', `malformed website: ${why}`, { website: raw }));
  const s = raw.trim().toLowerCase().replace(SCHEME_RE, '').replace(/\/+$/, '');
  const slash = s.indexOf('/');
  let hostPort = slash === -1 ? s : s.slice(0, slash);
  const path = slash === -1 ? '' : s.slice(slash);
  while (hostPort.startsWith('www.') && hostPort.slice(4).includes('.')) hostPort = hostPort.slice(4);
  const colon = hostPort.indexOf(':');
  const host = colon === -1 ? hostPort : hostPort.slice(0, colon);
  const port = colon === -1 ? null : hostPort.slice(colon + 1);
  if (host === '') return malformed('no host');
  const labels = host.split('.');
  if (labels.length < 2) return malformed('the host needs a domain and a top-level domain');
  if (host.length > 253 || !labels.every((l) => LABEL_RE.test(l))) return malformed('invalid host name');
  if (!TLD_RE.test(labels[labels.length - 1] ?? '')) return malformed('invalid top-level domain');
  if (port !== null && !/^\d{1,5}$/.test(port)) return malformed('invalid port');
  if (!PATH_RE.test(path))
    return malformed('the path has characters a website reference does not allow (query, fragment, spaces…)');
  const out = `${hostPort}${path}`;
  if (out.length > MAX_WEBSITE_LENGTH) return malformed(`longer than ${MAX_WEBSITE_LENGTH} characters`);
  return ok(out as NormalizedWebsite);
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
/** Longest stored e-mail. @example `col.text('email', MAX_EMAIL_LENGTH, { nullable: true })` */
export const MAX_EMAIL_LENGTH = 254;

/**
 * Normalises an e-mail address: trimmed and lower-cased, then checked to look like `local@domain.tld`.
 *
 * @example
 * ```ts
 * normalizeEmail(' Ada@Example.COM '); // { ok: true, value: 'ada@example.com' }
 * ```
 */
export function normalizeEmail(raw: string): Result<NormalizedEmail, Rejection<'EMAIL_MALFORMED'>> {
  mustBeString(raw, 'email');
  const s = raw.trim().toLowerCase();
  return EMAIL_RE.test(s) && s.length <= MAX_EMAIL_LENGTH
    ? ok(s as NormalizedEmail)
    : err(reject('EMAIL_MALFORMED', 'malformed e-mail address', { email: raw }));
}

const LINKEDIN_RE = /^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com(?:\/[^\s]*)?$/i;
/** Longest stored LinkedIn URL. @example `z.string().trim().max(MAX_LINKEDIN_URL_LENGTH)` */
export const MAX_LINKEDIN_URL_LENGTH = 500;

/**
 * Checks a LinkedIn profile URL (any `linkedin.com` address, scheme optional) and returns it trimmed.
 *
 * @example
 * ```ts
 * checkLinkedinUrl(' https://www.linkedin.com/in/ada '); // { ok: true, value: 'https://www.linkedin.com/in/ada' }
 * ```
 */
export function checkLinkedinUrl(raw: string): Result<string, Rejection<'LINKEDIN_URL_MALFORMED'>> {
  mustBeString(raw, 'linkedinUrl');
  const s = raw.trim();
  return LINKEDIN_RE.test(s) && s.length <= MAX_LINKEDIN_URL_LENGTH
    ? ok(s)
    : err(reject('LINKEDIN_URL_MALFORMED', 'not a linkedin.com URL', { linkedinUrl: raw }));
}

/**
 * A company or person name: required, 1–255 characters after trimming (stored trimmed).
 *
 * @example `crmNameSchema.parse('  Acme GmbH ')` → `'Acme GmbH'`
 */
export const crmNameSchema: z.ZodType<string, string> = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(255, 'must be at most 255 characters');

/**
 * A source system's id of a company (e.g. Apollo's `apollo_company_id`): 1–128 characters; unique when
 * present.
 *
 * @example `externalIdSchema.parse(' 48121 ')` → `'48121'`
 */
export const externalIdSchema: z.ZodType<string, string> = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters');

/**
 * An EIN exactly as supplied (not validated or reformatted), at most 64 characters.
 *
 * @example `einRawSchema.parse(' 12-3456789')` → `' 12-3456789'` (not trimmed)
 */
export const einRawSchema: z.ZodType<string, string> = z
  .string()
  .min(1)
  .max(64, 'must be at most 64 characters');

/**
 * Zod schema of a stored {@link NormalizedWebsite} (already normalised).
 *
 * @example `normalizedWebsiteSchema.safeParse('https://acme.example/').success` → `false` (normalise first)
 */
export const normalizedWebsiteSchema: z.ZodType<NormalizedWebsite, string> = z.string().refine((s) => {
  const r = normalizeWebsite(s);
  return r.ok && r.value === s;
}, 'must be a normalised website (lower-case host without scheme, www. or trailing slash)') as unknown as z.ZodType<
  NormalizedWebsite,
  string
>;

/**
 * Zod schema of a stored {@link NormalizedEmail}.
 *
 * @example `normalizedEmailSchema.safeParse('Ada@Example.com').success` → `false` (normalise first)
 */
export const normalizedEmailSchema: z.ZodType<NormalizedEmail, string> = z.string().refine((s) => {
  const r = normalizeEmail(s);
  return r.ok && r.value === s;
}, 'must be a normalised e-mail address (trimmed, lower-case)') as unknown as z.ZodType<
  NormalizedEmail,
  string
>;

/**
 * A LinkedIn URL as stored (trimmed, `linkedin.com`).
 *
 * @example `linkedinUrlSchema.parse('https://www.linkedin.com/in/ada')`
 */
export const linkedinUrlSchema: z.ZodType<string, string> = z.string().refine((s) => {
  const r = checkLinkedinUrl(s);
  return r.ok && r.value === s;
}, 'must be a trimmed linkedin.com URL');

/** A raw value of the wrong type is a `ValidationError` naming the field, not a `TypeError` on `.trim()`. */
function mustBeString(raw: unknown, field: string): void {
  if (typeof raw !== 'string') throw new ValidationError(field, [{ field, rule: 'must be a string' }]);
}
