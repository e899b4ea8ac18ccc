import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { checkLinkedinUrl, normalizedWebsiteSchema, normalizeEmail, normalizeWebsite } from './values.js';

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

describe('website normalisation', () => {
  test.each([
    ['  https://www.Example.com/ ', 'example.com'],
    ['HTTP://EXAMPLE.COM', 'example.com'],
    ['example.com///', 'example.com'],
    ['www.example.com/About/', 'example.com/about'],
    ['https://shop.example.co.uk:8443/de/', 'shop.example.co.uk:8443/de'],
    ['ftp://www.www.example.org', 'example.org'],
    ['www.com', 'www.com'],
    ['xn--80ak6aa92e.xn--p1ai', 'xn--80ak6aa92e.xn--p1ai'],
  ])('%j → %j', (raw, expected) => {
    expect(value(raw)).toBe(expected);
  });

  test.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['https://', 'no host'],
    ['localhost', 'no dot'],
    ['exa mple.com', 'a space'],
    ['example.com/?q=1', 'a query'],
    ['example.com/#top', 'a fragment'],
    ['user@example.com', 'credentials'],
    ['-example.com', 'a label starting with a dash'],
    ['example.c', 'a one-letter TLD'],
    ['example.com:http', 'a bad port'],
    ['exämple.com', 'a non-ASCII host (use punycode)'],
    [`${'a'.repeat(64)}.com`, 'a 64-character label'],
  ])('%j is malformed (%s)', (raw) => {
    expect(value(raw)).toBe('!WEBSITE_MALFORMED');
  });

  test.prop([
    domainArb,
    pathArb,
    fc.constantFrom('', 'http://', 'https://', 'HTTPS://'),
    fc.boolean(),
    fc.constantFrom('', '/', '//'),
    fc.constantFrom('', ' ', '\t'),
  ])(
    'every spelling of the same site (case, scheme, www., trailing slashes, spaces) normalises to one value',
    (domain, path, scheme, www, trailing, pad) => {
      const canonical = `${domain}${path}`;
      const spelled = `${pad}${scheme}${www ? 'www.' : ''}${canonical}${trailing}${pad}`;
      expect(value(spelled)).toBe(canonical);
      expect(value(spelled.toUpperCase())).toBe(canonical);
    },
  );

  test.prop([fc.string({ maxLength: 40 })])(
    'normalisation is idempotent and its output is a stored-form website',
    (raw) => {
      const r = normalizeWebsite(raw);
      if (!r.ok) return;
      expect(normalizeWebsite(r.value)).toEqual(r);
      expect(normalizedWebsiteSchema.safeParse(r.value).success).toBe(true);
      expect(r.value).toBe(r.value.trim().toLowerCase());
      expect(r.value.endsWith('/')).toBe(false);
      expect(/^[a-z][a-z0-9+.-]*:\/\//.test(r.value)).toBe(false);
    },
  );

  test('the stored-form schema refuses un-normalised values', () => {
    expect(normalizedWebsiteSchema.safeParse('www.example.com').success).toBe(false);
    expect(normalizedWebsiteSchema.safeParse('Example.com').success).toBe(false);
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
