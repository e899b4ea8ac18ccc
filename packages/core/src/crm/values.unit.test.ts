import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  checkLinkedinUrl,
  normalizedWebsiteSchema,
  normalizeEmail,
  normalizeWebsite,
  pickWebsiteMatch,
  websiteHostOf,
} from './values.js';

const value = (raw: string) => {
  const r = normalizeWebsite(raw);
  return r.ok ? r.value : `!${r.error.code}`;
};

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const domainArb = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('com', 'io', 'co', 'org', 'xn--p1ai'),
  )
  .map(([labels, tld]) => [...labels, tld].join('.'))
  .filter((d) => !d.startsWith('www.'));
const pathArb = fc
  .array(fc.stringMatching(/^[a-z0-9._~-]{1,8}$/), { maxLength: 3 })
  .map((segs) => segs.map((s) => `/${s}`).join(''));

const queryArb = fc.constantFrom('', '?q=1', '?utm_source=x&b=2', '#top', '?a=1#b');
const portArb = fc.constantFrom('', ':80', ':8443');

describe('website normalisation: the key is the host', () => {
  test.each([
    ['  https://www.Example.com/ ', 'example.com'],
    ['HTTP://EXAMPLE.COM', 'example.com'],
    ['example.com///', 'example.com'],
    ['www.example.com/About/', 'example.com'],
    ['https://Gamma.com/x', 'gamma.com'],
    ['gamma.com', 'gamma.com'],
    ['http://www.GAMMA.com/?q=1', 'gamma.com'],
    ['gamma.com#contact', 'gamma.com'],
    ['gamma.com.', 'gamma.com'],
    ['https://shop.example.co.uk:8443/de/', 'shop.example.co.uk'],
    ['ftp://www.www.example.org', 'example.org'],
    ['www.com', 'www.com'],
    ['example.com/about us', 'example.com'],
    ['xn--80ak6aa92e.xn--p1ai', 'xn--80ak6aa92e.xn--p1ai'],
  ])('given %j, when normalised, then the key is %j', (raw, expected) => {
    expect(value(raw)).toBe(expected);
  });

  test.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['https://', 'no host'],
    ['/about', 'a path without a host'],
    ['localhost', 'no dot'],
    ['exa mple.com', 'a space in the host'],
    ['user@example.com', 'credentials (an e-mail address)'],
    ['https://user:pw@example.com/', 'credentials'],
    ['-example.com', 'a label starting with a dash'],
    ['example.c', 'a one-letter TLD'],
    ['example.com:http', 'a bad port'],
    ['exämple.com', 'a non-ASCII host (use punycode)'],
    [`${'a'.repeat(64)}.com`, 'a 64-character label'],
  ])('given %j, when normalised, then it is malformed (%s)', (raw) => {
    expect(value(raw)).toBe('!WEBSITE_MALFORMED');
  });

  test.prop([
    domainArb,
    pathArb,
    queryArb,
    portArb,
    fc.constantFrom('', 'http://', 'https://', 'HTTPS://'),
    fc.boolean(),
    fc.constantFrom('', '/', '//'),
    fc.constantFrom('', ' ', '\t'),
  ])(
    'given any spelling of a host (case, scheme, www., port, path, query, fragment, spaces), when normalised, then the key is the host',
    (domain, path, query, port, scheme, www, trailing, pad) => {
      const spelled = `${pad}${scheme}${www ? 'www.' : ''}${domain}${port}${path}${trailing}${query}${pad}`;
      expect(value(spelled)).toBe(domain);
      expect(value(spelled.toUpperCase())).toBe(domain);
    },
  );

  test.prop([domainArb, domainArb, pathArb, pathArb])(
    'given two distinct hosts, when normalised with any paths, then their keys stay distinct',
    (a, b, pathA, pathB) => {
      fc.pre(a !== b);
      expect(value(`https://${a}${pathA}`)).not.toBe(value(`https://${b}${pathB}`));
    },
  );

  test.prop([fc.string({ maxLength: 40 })])(
    'given any string, when it normalises, then normalising again changes nothing and the key is a bare host',
    (raw) => {
      const r = normalizeWebsite(raw);
      if (!r.ok) return;
      expect(normalizeWebsite(r.value)).toEqual(r);
      expect(normalizedWebsiteSchema.safeParse(r.value).success).toBe(true);
      expect(websiteHostOf(r.value)).toBe(r.value);
      expect(r.value).toBe(r.value.trim().toLowerCase());
      expect(/[/:?#@\s]/.test(r.value)).toBe(false);
    },
  );

  test.prop([domainArb, pathArb, portArb])(
    'given a key stored before the host rule (host, port, path), when read, then it is a valid stored value whose host is the new key',
    (domain, path, port) => {
      const legacy = `${domain}${port}${path}`;
      expect(normalizedWebsiteSchema.safeParse(legacy).success).toBe(true);
      expect(websiteHostOf(legacy)).toBe(domain);
      expect(value(`https://www.${legacy}/`)).toBe(domain);
    },
  );

  test('given several stored keys of one host, when picking the match, then the exact host key wins, else the lowest uid; other hosts never', () => {
    const row = (website: string | null, companyUid: string) => ({ website, companyUid });
    const legacyY = row('gamma.com/y', 'CO-20261122-000002');
    const legacyX = row('gamma.com:8080/x', 'CO-20261122-000003');
    const exact = row('gamma.com', 'CO-20261122-000009');
    expect(pickWebsiteMatch([legacyX, legacyY], 'gamma.com')).toBe(legacyY);
    expect(pickWebsiteMatch([legacyX, exact, legacyY], 'gamma.com')).toBe(exact);
    expect(
      pickWebsiteMatch(
        [row('gamma.co/x', 'CO-20261122-000001'), row(null, 'CO-20261122-000004')],
        'gamma.com',
      ),
    ).toBeNull();
  });

  test('given un-normalised values, when checked as stored keys, then the schema refuses them', () => {
    expect(normalizedWebsiteSchema.safeParse('www.example.com').success).toBe(false);
    expect(normalizedWebsiteSchema.safeParse('Example.com').success).toBe(false);
    expect(normalizedWebsiteSchema.safeParse('example.com/?q=1').success).toBe(false);
    expect(websiteHostOf('https://example.com')).toBeNull();
  });
});

describe('e-mail and LinkedIn URL', () => {
  test('e-mails are trimmed and lower-cased; malformed ones refused without echoing them in the message', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toEqual({
      ok: true,
      value: 'ada.lovelace@example.com',
    });
    const bad = normalizeEmail('ada@@example');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).not.toContain('ada');
    expect(normalizeEmail('a b@example.com').ok).toBe(false);
  });

  test.prop([fc.emailAddress()])('normalising an e-mail is idempotent', (email) => {
    const r = normalizeEmail(email);
    if (r.ok) expect(normalizeEmail(r.value)).toEqual(r);
  });

  test('LinkedIn URLs must point at linkedin.com and are kept trimmed', () => {
    expect(checkLinkedinUrl(' https://www.linkedin.com/in/ada ')).toEqual({
      ok: true,
      value: 'https://www.linkedin.com/in/ada',
    });
    expect(checkLinkedinUrl('linkedin.com/in/ada').ok).toBe(true);
    expect(checkLinkedinUrl('https://de.linkedin.com/in/ada').ok).toBe(true);
    expect(checkLinkedinUrl('https://evil-linkedin.com/in/ada').ok).toBe(false);
    expect(checkLinkedinUrl('https://linkedin.com.evil.io/in/ada').ok).toBe(false);
  });
});
