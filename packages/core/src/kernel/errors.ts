/**
 * Stable codes of the typed errors the library throws at its edges (I/O, bad input). Decisions never
 * throw; they return a {@link Rejection}.
 */
export type PetErrorCode =
  | 'VALIDATION_FAILED'
  | 'CONCURRENCY_CONFLICT'
  | 'IDEMPOTENCY_MISMATCH'
  | 'DUPLICATE_KEY'
  | 'NOT_FOUND'
  | 'IMMUTABLE_ROW'
  | 'CONSTRAINT_VIOLATION'
  | 'CONNECTION_FAILED'
  | 'DATABASE_NOT_FOUND'
  | 'LOCK_TIMEOUT'
  | 'DEADLOCK'
  | 'SCHEMA_NOT_CURRENT'
  | 'MIGRATION_FAILED'
  | 'MIGRATION_TAMPERED'
  | 'MIGRATION_LOCK_TIMEOUT'
  | 'UNKNOWN_EVENT_TYPE'
  | 'UPCAST_FAILED'
  | 'DATABASE_ERROR';

/** One broken rule of bad input: which field, which rule. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `events.0.type`; empty for the whole input. */
  readonly field: string;
  readonly rule: string;
}

/**
 * Base of every error the library throws. Check `code` (or {@link isPetError}) rather than
 * `instanceof`, which breaks when two copies of the package are installed.
 *
 * @example
 * ```ts
 * try { await store.append(id, 3, events); }
 * catch (e) { if (isPetError(e, 'CONCURRENCY_CONFLICT') && e.retryable) retry(); }
 * ```
 */
export class PetError extends Error {
  readonly code: PetErrorCode;
  /** True when the same call may succeed if retried (conflicts, deadlocks, lock timeouts). */
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  /** `retryable` defaults to false and `details` to `{}`; `cause` is passed to `Error`. */
  constructor(
    code: PetErrorCode,
    message: string,
    options: { retryable?: boolean; details?: Readonly<Record<string, unknown>>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PetError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}

/**
 * Bad input: lists every broken field and rule; nothing was written.
 *
 * @example
 * ```ts
 * throw new ValidationError('team', [{ field: 'name', rule: 'is required' }]);
 * // code 'VALIDATION_FAILED', message 'invalid team: name: is required', issues as given
 * ```
 */
export class ValidationError extends PetError {
  readonly issues: readonly FieldIssue[];
  /** Lists the issues in the message (`invalid <what>: <field>: <rule>; …`) and in `details.issues`. */
  constructor(what: string, issues: readonly FieldIssue[]) {
    const list = issues.map((i) => `${i.field || '(input)'}: ${i.rule}`).join('; ');
    super('VALIDATION_FAILED', `invalid ${what}: ${list}`, { details: { issues } });
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** True when `e` is a {@link PetError}, optionally with the given code. @example `isPetError(e, 'NOT_FOUND')` */
export function isPetError(e: unknown, code?: PetErrorCode): e is PetError {
  if (typeof e !== 'object' || e === null) return false;
  const c = (e as { code?: unknown }).code;
  const isOurs = (e as { name?: unknown }).name !== undefined && typeof c === 'string' && 'retryable' in e;
  return isOurs && (code === undefined || c === code);
}
