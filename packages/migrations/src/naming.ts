/**
 * How PET names what it creates: the table prefix's limits and the names derived from a table's name
 * (triggers), so every identifier fits MariaDB's/MySQL's 64 characters for any table name and any prefix.
 */

/**
 * MySQL's and MariaDB's limit on every identifier (tables, triggers, indexes), in characters.
 *
 * @example `` `${prefix}${table}`.length <= MAX_IDENTIFIER_LENGTH `` → `true` for every PET table
 */
export const MAX_IDENTIFIER_LENGTH = 64;

/**
 * Longest table prefix: 20 characters, so `<prefix><table>` and `<prefix><trigger>` fit
 * {@link MAX_IDENTIFIER_LENGTH} for every table name the vocabulary accepts.
 *
 * @example `tablePrefixIssue('p'.repeat(MAX_PREFIX_LENGTH + 1))` → a rule naming the 20-character limit
 */
export const MAX_PREFIX_LENGTH = 20;

/**
 * Longest name that follows the prefix: a table name, or a trigger name the vocabulary derives
 * ({@link derivedName}); 64 − 20 = 44.
 *
 * @example `derivedName('x'.repeat(60)).length` → `44`
 */
export const MAX_NAME_AFTER_PREFIX: number = MAX_IDENTIFIER_LENGTH - MAX_PREFIX_LENGTH;

/**
 * The rule a table prefix follows, as a regular expression's source: letters, digits and `_`, at most
 * {@link MAX_PREFIX_LENGTH} (the empty prefix too).
 *
 * @example `new RegExp(TABLE_PREFIX_PATTERN).test('wp_pet_')` → `true`
 */
export const TABLE_PREFIX_PATTERN: string = `^[A-Za-z0-9_]{0,${MAX_PREFIX_LENGTH}}$`;

const PREFIX_CHARS = /^[A-Za-z0-9_]*$/;

/**
 * Why a value is not a table prefix, or `undefined` when it is one. A prefix of the right characters that
 * is too long gets its own rule, naming the limit and why it exists.
 *
 * @example
 * ```ts
 * tablePrefixIssue('wp_pet_'); // undefined
 * tablePrefixIssue('wp-pet'); // 'must match ^[A-Za-z0-9_]{0,20}$'
 * tablePrefixIssue('a_very_long_wordpress_prefix_'); // 'is 29 characters; at most 20, …'
 * ```
 */
export function tablePrefixIssue(prefix: unknown): string | undefined {
  if (typeof prefix !== 'string' || !PREFIX_CHARS.test(prefix)) return `must match ${TABLE_PREFIX_PATTERN}`;
  if (prefix.length <= MAX_PREFIX_LENGTH) return undefined;
  return (
    `is ${prefix.length} characters; at most ${MAX_PREFIX_LENGTH}, so every table and trigger name ` +
    `(<prefix><name>) fits MariaDB's ${MAX_IDENTIFIER_LENGTH}-character identifiers (${TABLE_PREFIX_PATTERN})`
  );
}

/** FNV-1a (32 bits) of the UTF-16 code units, as 8 hex digits: stable, dependency-free, enough to tell names apart. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * A name derived from a table's name (a trigger's), made to fit {@link MAX_NAME_AFTER_PREFIX}: a name that
 * fits is kept as it is (so every name PET derived before stays what it was); a longer one keeps its head
 * and ends with `_` and 8 hex digits of a hash of the whole, so two long names stay apart.
 *
 * @example
 * ```ts
 * derivedName('kpi_definition_versions_no_delete'); // 'kpi_definition_versions_no_delete' (33 characters)
 * derivedName(`${'x'.repeat(44)}_no_update`).length; // 44, ending in _ and 8 hex digits
 * ```
 */
export function derivedName(full: string): string {
  if (full.length <= MAX_NAME_AFTER_PREFIX) return full;
  return `${full.slice(0, MAX_NAME_AFTER_PREFIX - 9)}_${fnv1a(full)}`;
}
