import { instantFromEpochMs, ValidationError } from '@pet-ops/core';
import type { ValueCodecs } from '@pet-ops/sql';

// `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]]`, timestamptz's text output (ISO DateStyle).
const PG_INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?|Z)$/;

// The same text in UTC (`+00`), with a four-digit year from 1000 on (earlier years go the long way).
const PG_UTC_RE = /^([1-9]\d{3}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:\+00(?::?00){0,2}|Z)$/;

/**
 * A `timestamptz` in PostgreSQL's text form (any session time zone) → PET's canonical instant
 * (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, UTC, six fraction digits); a `Date` (a pool without
 * {@link postgresTypes}) keeps its milliseconds.
 *
 * @example `pgTextToInstant('2026-01-02 03:04:05.6789+00')` → `'2026-01-02T03:04:05.678900Z'`
 */
export function pgTextToInstant(value: unknown): string {
  if (value instanceof Date) return instantFromEpochMs(value.getTime());
  const text = String(value);
  // The common case (PET's sessions speak UTC): the canonical instant is the same digits rearranged,
  // without date arithmetic — a KPI fold decodes one per event.
  const u = PG_UTC_RE.exec(text);
  if (u !== null) return `${u[1]}T${u[2]}.${(u[3] ?? '').padEnd(6, '0')}Z`;
  const m = PG_INSTANT_RE.exec(text);
  if (m === null) {
    throw new ValidationError('instant', [
      {
        field: 'value',
        rule: `must be a timestamptz in PostgreSQL's text form (got ${JSON.stringify(text.slice(0, 40))})`,
      },
    ]);
  }
  const [, y, mo, d, h, mi, s, frac = '', sign, oh = '0', om = '0', os = '0'] = m;
  const micros = frac.padEnd(6, '0');
  const offsetMs =
    sign === undefined
      ? 0
      : (sign === '-' ? -1 : 1) * ((Number(oh) * 60 + Number(om)) * 60 + Number(os)) * 1000;
  const ms =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) +
    Number(micros.slice(0, 3)) -
    offsetMs;
  const utc = new Date(ms);
  // Years 0–99 would be shifted by Date.UTC; PostgreSQL's instants of PET are far from them.
  if (Number(y) < 100) utc.setUTCFullYear(Number(y));
  return instantFromEpochMs(utc.getTime(), Number(micros.slice(3)));
}

/**
 * PostgreSQL's value codecs: ids are `uuid` (the driver's lower-case text), instants `timestamptz` (sent
 * as the canonical text, read back with {@link pgTextToInstant}), JSON `jsonb` (sent as text, read as
 * text and parsed), booleans `boolean`.
 *
 * @example `postgresCodecs.encodeBool(true)` → `true`
 */
export const postgresCodecs: ValueCodecs = Object.freeze({
  encodeId: (id: string) => id.toLowerCase(),
  decodeId: (value: unknown) => String(value).toLowerCase(),
  encodeInstant: (instant: string) => instant,
  decodeInstant: pgTextToInstant,
  encodeJson: (value: unknown) => JSON.stringify(value),
  decodeJson: (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value),
  encodeBool: (value: boolean) => value,
  decodeBool: (value: unknown) => value === true || value === 't' || value === 'true',
});
