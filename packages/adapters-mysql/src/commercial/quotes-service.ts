import {
  type CommandMetadata,
  type CommandOutcome,
  type CommandRuntime,
  type Commercial,
  parseInput,
  type Result,
  type UnitOfWorkScope,
} from '@pet-ops/core';
import {
  createQuoting,
  type OpenQuoteInput,
  type OpenQuoteRejection,
  type QuoteRequest,
  allocateQuoteNumber as seamAllocateQuoteNumber,
} from '@pet-ops/sql';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { tablePrefixSchema } from '../prefix.js';
import { createMysqlUnitOfWork } from '../unit-of-work/unit-of-work.js';

export type { OpenQuoteInput, OpenQuoteRejection, QuoteRequest } from '@pet-ops/sql';

/** Options of {@link createMysqlQuoting}. */
export interface MysqlQuotingOptions {
  /**
   * The pool of the runtime's unit of work.
   *
   * @deprecated The runtime's unit of work (`createMysqlUnitOfWork`) decides the database; this is ignored.
   */
  readonly pool?: Pool;
  /**
   * The table prefix of the runtime's unit of work.
   *
   * @deprecated The runtime's unit of work decides the prefix; this is ignored.
   */
  readonly prefix?: string;
  /**
   * Its unit of work must be `createMysqlUnitOfWork` (or the seam's `createUnitOfWork`), which maps every
   * quoting and CRM table; its registry must hold the commercial events.
   */
  readonly runtime: CommandRuntime;
  readonly policy?: Commercial.QuotePolicy;
  /** Further participants of the acceptance transaction (project, sold constraints, opportunity won…). */
  readonly acceptanceSteps?: readonly Commercial.AcceptanceStep[];
}

/** Quotes on MySQL: the seam's `Quoting` (open, handle, accept), plus the older positional `handle`. */
export interface MysqlQuoting {
  /**
   * Creates a quote in one unit of work: checks its customer (an active CRM company) and its parent or
   * superseded quote, allocates its number, creates it. A refusal writes nothing and gives the number back.
   */
  open(
    input: OpenQuoteInput,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Commercial.QuoteState>, Commercial.QuoteRejection | OpenQuoteRejection>>;
  /**
   * Runs any other quote command (not create or accept) in one unit of work. Like `open` and `accept`, it
   * takes one request and then the metadata.
   */
  handle(
    request: QuoteRequest,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Commercial.QuoteState>, Commercial.QuoteRejection>>;
  /**
   * The positional form of `handle`.
   *
   * @deprecated Pass one request instead, like `open` and `accept`: `handle({ quoteId, command }, metadata)`.
   * This form keeps working until the next major version.
   */
  handle(
    quoteId: Commercial.QuoteId,
    command: Exclude<Commercial.QuoteCommand, { type: 'create' | 'accept' }>,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Commercial.QuoteState>, Commercial.QuoteRejection>>;
  /** Accepts a sent version in one unit of work: the quote, the sale, the due events, every acceptance step. */
  readonly accept: Commercial.AcceptQuote;
}

/**
 * Allocates the next `Q-YYYY-######` of `year`: `allocateQuoteNumber` of `@pet-ops/sql` (one upsert of the
 * year's counter row). Unique, not gapless.
 *
 * @example
 * ```ts
 * await uow.run((scope) => allocateQuoteNumber(scope, 2026)); // 'Q-2026-000001', in the unit's transaction
 * ```
 */
export function allocateQuoteNumber(scope: UnitOfWorkScope, year: number): Promise<Commercial.QuoteNumber>;
/**
 * The pool form: allocates in a transaction of its own.
 *
 * @deprecated Allocate in the unit of work that uses the number: `allocateQuoteNumber(scope, year)`.
 * This form keeps working until the next major version.
 */
export function allocateQuoteNumber(
  pool: Pool,
  prefix: string,
  year: number,
): Promise<Commercial.QuoteNumber>;
export function allocateQuoteNumber(
  ...args: [UnitOfWorkScope, number] | [Pool, string, number]
): Promise<Commercial.QuoteNumber> {
  if (args.length === 2) return seamAllocateQuoteNumber(args[0], args[1]);
  const [pool, prefix, year] = args;
  return createMysqlUnitOfWork({ pool, prefix }).run((scope) => seamAllocateQuoteNumber(scope, year));
}

/** The shape of {@link MysqlQuotingOptions} this adapter checks (the seam checks the rest). */
const quotingOptionsSchema = z.object({
  pool: z
    .custom<Pool>(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        typeof (p as { getConnection?: unknown }).getConnection === 'function',
      'must be a mysql2/promise pool (use connect())',
    )
    .optional(),
  prefix: tablePrefixSchema.optional(),
});

/**
 * The quoting service on MySQL: `createQuoting` of `@pet-ops/sql` on the runtime's unit of work, so a
 * quote's state row and its part rows (versions, line groups, lines) are written together.
 *
 * @example
 * ```ts
 * const runtime = { unitOfWork: createMysqlUnitOfWork({ pool, prefix }), registry, clock, ids };
 * const quoting = createMysqlQuoting({ runtime });
 * await quoting.open({ quoteId, opportunityId, customerId, currency: 'EUR', title: 'Relaunch' }, { actor });
 * await quoting.handle({ quoteId, command: { type: 'send' } }, { actor });
 * const sale = await quoting.accept({ quoteId, saleId, version: 1, acceptedBy, acceptedAt }, { actor });
 * ```
 */
export function createMysqlQuoting(options: MysqlQuotingOptions): MysqlQuoting {
  parseInput(quotingOptionsSchema, options, 'quoting options');
  const { pool: _pool, prefix: _prefix, ...rest } = options;
  const quoting = createQuoting(rest);
  return {
    open: quoting.open,
    handle: ((
      ...args:
        | [QuoteRequest, CommandMetadata]
        | [Commercial.QuoteId, QuoteRequest['command'], CommandMetadata]
    ) =>
      args.length === 3
        ? quoting.handle({ quoteId: args[0], command: args[1] }, args[2])
        : quoting.handle(args[0], args[1])) as MysqlQuoting['handle'],
    accept: quoting.accept,
  };
}
