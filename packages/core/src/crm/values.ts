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

/**
 * A company's website key: the normalised host — lower-case, without scheme, `www.`, port, path, query or
 * fragment (`gamma.com`). Keys stored before the host rule (lower-case host with port and path, e.g.
 * `gamma.com/x`) are still valid stored values: see {@link normalizedWebsiteSchema} and
 * {@link websiteHostOf}.
 */
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

/** Splits a trimmed, lower-cased spelling into its host (after `www.`) and port; the rest is dropped. */
function hostAndPort(raw: string): { host: string; port: string | null; rest: string; credentials: boolean } {
  const s = raw.trim().toLowerCase().replace(SCHEME_RE, '');
  const end = s.search(/[/?#]/);
  let hostPort = end === -1 ? s : s.slice(0, end);
  const rest = end === -1 ? '' : s.slice(end);
  const credentials = hostPort.includes('@');
  while (hostPort.startsWith('www.') && hostPort.slice(4).includes('.')) hostPort = hostPort.slice(4);
  const colon = hostPort.indexOf(':');
  let host = colon === -1 ? hostPort : hostPort.slice(0, colon);
  // A fully qualified spelling (`gamma.com.`) names the same host.
  if (host.endsWith('.') && !host.endsWith('..')) host = host.slice(0, -1);
  return { host, port: colon === -1 ? null : hostPort.slice(colon + 1), rest, credentials };
}

/** Why a host is not a DNS host name with a domain, or null when it is one. */
function hostProblem(host: string): string | null {
  if (host === '') return 'no host';
  const labels = host.split('.');
  if (labels.length < 2) return 'the host needs a domain and a top-level domain';
  if (host.length > 253 || !labels.every((l) => LABEL_RE.test(l))) return 'invalid host name';
  if (!TLD_RE.test(labels[labels.length - 1] ?? '')) return 'invalid top-level domain';
  return null;
}

/**
 * Normalises a company website to its key, the host: trimmed and lower-cased; the scheme (`https://`,
 * `http://`, …), a leading `www.` (while a domain remains), the port, the path, the query and the
 * fragment are dropped, and so is the dot of a fully qualified name (`gamma.com.`). So
 * `https://Gamma.com/x`, `gamma.com` and `http://www.GAMMA.com:8080/?q=1` are one company. The host must
 * be a DNS name with a dot (ASCII; IDNs in punycode); credentials (`user@…`, usually an e-mail address in
 * the wrong column), spaces and a non-numeric port make it malformed. The port is dropped because it names
 * a service of the host, not another organisation; sub-domains other than `www.` are kept
 * (`shop.gamma.com` is a different key). Idempotent.
 *
 * @example
 * ```ts
 * normalizeWebsite(' HTTPS://www.Example.com/about?x=1 '); // { ok: true, value: 'example.com' }
 * normalizeWebsite('not a site');                          // { ok: false, error: { code: 'WEBSITE_MALFORMED', … } }
 * ```
 */
export function normalizeWebsite(raw: string): Result<NormalizedWebsite, Rejection<'WEBSITE_MALFORMED'>> {
  mustBeString(raw, 'website');
  const malformed = (why: string) =>
    err(reject('WEBSITE_MALFORMED', `malformed website: ${why}`, { website: raw }));
  const { host, port, credentials } = hostAndPort(raw);
  if (credentials) return malformed('credentials (user@host) are not a website; is it an e-mail address?');
  const problem = hostProblem(host);
  if (problem !== null) return malformed(problem);
  if (port !== null && !/^\d{1,5}$/.test(port)) return malformed('invalid port');
  return ok(host as NormalizedWebsite);
}

/**
 * Whether `s` is a website key as stored before the host rule: lower-case host (without `www.`), optional
 * port and optional path, no scheme, query, fragment or trailing slash (e.g. `gamma.com:8443/de`). Such
 * keys stay in existing databases (nothing is rewritten) and in their events.
 */
function isLegacyWebsiteKey(s: string): boolean {
  if (s !== s.trim().toLowerCase() || SCHEME_RE.test(s) || s.endsWith('/') || s.length > MAX_WEBSITE_LENGTH)
    return false;
  const slash = s.indexOf('/');
  const hostPort = slash === -1 ? s : s.slice(0, slash);
  if (hostPort.startsWith('www.') && hostPort.slice(4).includes('.')) return false;
  const colon = hostPort.indexOf(':');
  const host = colon === -1 ? hostPort : hostPort.slice(0, colon);
  if (colon !== -1 && !/^\d{1,5}$/.test(hostPort.slice(colon + 1))) return false;
  return hostProblem(host) === null && PATH_RE.test(slash === -1 ? '' : s.slice(slash));
}

/**
 * The host of a stored website key: the key itself for a host key, the part before the port or path
 * for a key stored before the host rule (`gamma.com/x` → `gamma.com`); `null` when it is neither.
 * Matching compares hosts, so a new `https://gamma.com/` finds a company stored as `gamma.com/x`.
 *
 * @example
 * ```ts
 * websiteHostOf('gamma.com/x'); // 'gamma.com'
 * websiteHostOf('gamma.com');   // 'gamma.com'
 * ```
 */
export function websiteHostOf(stored: string): NormalizedWebsite | null {
  if (typeof stored !== 'string' || !isLegacyWebsiteKey(stored)) return null;
  const r = normalizeWebsite(stored);
  return r.ok ? r.value : null;
}

/**
 * Of the companies a website lookup found for `host` (stored keys of that host, see
 * {@link websiteHostOf}), the one it returns: the exact host key, else the lowest company uid — keys
 * stored before the host rule could make two companies of one host (`gamma.com/x`, `gamma.com/y`), and
 * the oldest one wins. Rows of other hosts are ignored; `null` when none is left.
 *
 * @example
 * ```ts
 * pickWebsiteMatch([{ website: 'gamma.com/y', companyUid: 'CO-20261122-000002' }, { website: 'gamma.com/x', companyUid: 'CO-20261122-000001' }], 'gamma.com');
 * // → the CO-20261122-000001 row
 * ```
 */
export function pickWebsiteMatch<T extends { readonly website: string | null; readonly companyUid: string }>(
  found: readonly T[],
  host: string,
): T | null {
  const ofHost = found.filter((f) => f.website !== null && websiteHostOf(f.website) === host);
  return (
    ofHost.find((f) => f.website === host) ??
    [...ofHost].sort((a, b) => (a.companyUid < b.companyUid ? -1 : a.companyUid > b.companyUid ? 1 : 0))[0] ??
    null
  );
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
 * Zod schema of a stored {@link NormalizedWebsite}: a host key (`gamma.com`), or a key stored before the
 * host rule (`gamma.com/x`, `gamma.com:8443`) so that old rows and events still read.
 *
 * @example `normalizedWebsiteSchema.safeParse('https://acme.example/').success` → `false` (normalise first)
 */
export const normalizedWebsiteSchema: z.ZodType<NormalizedWebsite, string> = z
  .string()
  .refine(
    (s) => isLegacyWebsiteKey(s),
    'must be a normalised website (lower-case host without scheme, www. or trailing slash)',
  ) as unknown as z.ZodType<NormalizedWebsite, string>;

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
