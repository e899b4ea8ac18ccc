/**
 * A decision's outcome: either a value or a rejection. Deciders return it instead of throwing, so a
 * refused command is data the caller can inspect, log and translate.
 *
 * @example
 * ```ts
 * const r: Result<readonly string[], Rejection> = Math.random() < 0.5 ? ok(['done']) : err(reject('NOPE', 'no'));
 * if (!r.ok) console.log(r.error.code);
 * ```
 */
export type Result<T, E = Rejection> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/**
 * Why a command was refused. `code` is stable and documented (e.g. `QUOTE_NOT_EDITABLE`); `message` is
 * for humans; `details` carries the facts that led to the refusal (field names, current state…).
 */
export interface Rejection<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Wraps a value as a successful {@link Result}. @example `ok(42)` */
export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

/** Wraps an error as a failed {@link Result}. @example `err(reject('X', 'no'))` */
export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

/**
 * Builds a {@link Rejection}.
 *
 * @example
 * ```ts
 * return err(reject('QUOTE_NOT_EDITABLE', 'a sent version is immutable', { status: 'sent' }));
 * ```
 */
export function reject<Code extends string>(
  code: Code,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): Rejection<Code> {
  return details === undefined ? { code, message } : { code, message, details };
}
