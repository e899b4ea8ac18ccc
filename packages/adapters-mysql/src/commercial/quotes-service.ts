import {
  type CommandMetadata,
  type CommandOutcome,
  type CommandRuntime,
  Commercial,
  createCommandHandler,
  err,
  parseInput,
  type Rejection,
  type Result,
  reject,
  type Uuid,
} from '@pet-ops/core';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { mapDriverError } from '../errors.js';
import { poolSchema } from '../event-store/event-log.js';
import { uuidToBytes } from '../internal/uuid-bytes.js';
import { parseTablePrefix } from '../prefix.js';
import { quoteDefinition, saleDefinition } from './quotes-definition.js';

/** What a host gives to open a quote (the number is allocated here). */
export interface OpenQuoteInput {
  readonly quoteId: Commercial.QuoteId;
  readonly opportunityId: string;
  /** A CRM company (`companies.id`); it must exist and be active. */
  readonly customerId: string;
  readonly currency: string;
  readonly title: string;
  readonly validUntil?: string | null;
  readonly parentQuoteId?: string | null;
  readonly supersedesQuoteId?: string | null;
}

/** Why opening a quote was refused before the quote decider ran. */
export type OpenQuoteRejection = Rejection<
  | 'QUOTE_CUSTOMER_NOT_FOUND'
  | 'QUOTE_CUSTOMER_ARCHIVED'
  | 'QUOTE_PARENT_NOT_ACCEPTED'
  | 'QUOTE_SUPERSEDED_NOT_FOUND'
>;

/** Options of {@link createMysqlQuoting}. */
export interface MysqlQuotingOptions {
  readonly pool: Pool;
  readonly prefix: string;
  /** Its unit of work must map `QUOTING_TABLES`; its registry must hold `quotingEventDefinitions`. */
  readonly runtime: CommandRuntime;
  readonly policy?: Commercial.QuotePolicy;
  /** Further participants of the acceptance transaction (project, sold constraints, opportunity won…). */
  readonly acceptanceSteps?: readonly Commercial.AcceptanceStep[];
}

/** A quote command (any but create and accept) and the quote it is for: what `MysqlQuoting.handle` takes. */
export interface QuoteRequest {
  readonly quoteId: Commercial.QuoteId;
  readonly command: Exclude<Commercial.QuoteCommand, { type: 'create' | 'accept' }>;
}

/** Quotes on MySQL: open (number + customer check), every other command, and acceptance → sale. */
export interface MysqlQuoting {
  /** Creates a quote after checking its customer (an active CRM company) and its parent or superseded quote. */
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
  readonly accept: Commercial.AcceptQuote;
}

const openSchema = z.object({
  quoteId: Commercial.quoteIdSchema,
  opportunityId: z.uuid(),
  customerId: z.uuid(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code'),
  title: z.string().trim().min(1).max(255),
  validUntil: Commercial.dateSchema.nullable().default(null),
  parentQuoteId: z.uuid().nullable().default(null),
  supersedesQuoteId: z.uuid().nullable().default(null),
});

/**
 * Allocates the next `Q-YYYY-######` of `year` atomically (one counter row per year; concurrent callers
 * serialise on it). Unique, not gapless.
 *
 * @example
 * ```ts
 * await allocateQuoteNumber(pool, 'wp_', 2026); // 'Q-2026-000001'
 * ```
 */
export async function allocateQuoteNumber(
  pool: Pool,
  prefix: string,
  year: number,
): Promise<Commercial.QuoteNumber> {
  const table = `\`${parseTablePrefix(prefix)}quote_number_sequences\``;
  try {
    const [r] = await pool.query<ResultSetHeader>(
      `INSERT INTO ${table} (year, last_sequence) VALUES (?, LAST_INSERT_ID(1))
       ON DUPLICATE KEY UPDATE last_sequence = LAST_INSERT_ID(last_sequence + 1)`,
      [String(year).padStart(4, '0')],
    );
    return Commercial.formatQuoteNumber(year, Number(r.insertId));
  } catch (e) {
    throw mapDriverError(e, 'allocate quote number');
  }
}

/** The shape of {@link MysqlQuotingOptions} (the policy and the steps are checked where they are used). */
const quotingOptionsSchema = z.object({
  pool: poolSchema,
  prefix: z.string(),
  runtime: z.custom<CommandRuntime>(
    (v) =>
      typeof v === 'object' && v !== null && typeof (v as { unitOfWork?: unknown }).unitOfWork === 'object',
    'must be a command runtime (unitOfWork, registry, clock, ids)',
  ),
  policy: z.looseObject({}).optional(),
  acceptanceSteps: z.array(z.unknown()).optional(),
});

/**
 * Builds the MySQL quoting service.
 *
 * @example
 * ```ts
 * const runtime = { unitOfWork: createMysqlUnitOfWork({ pool, prefix, tables: QUOTING_TABLES }), registry, clock, ids };
 * const quoting = createMysqlQuoting({ pool, prefix, runtime });
 * await quoting.open({ quoteId, opportunityId, customerId, currency: 'EUR', title: 'Relaunch' }, { actor });
 * await quoting.handle({ quoteId, command: { type: 'send' } }, { actor });
 * const sale = await quoting.accept({ quoteId, saleId, version: 1, acceptedBy, acceptedAt }, { actor });
 * ```
 */
export function createMysqlQuoting(options: MysqlQuotingOptions): MysqlQuoting {
  parseInput(quotingOptionsSchema, options, 'quoting options');
  const prefix = parseTablePrefix(options.prefix);
  const { pool, runtime } = options;
  const binding = Commercial.quoteBinding(quoteDefinition);
  const handler = createCommandHandler(runtime, binding);
  const facts = options.policy === undefined ? undefined : { policy: options.policy };
  return {
    async open(raw, metadata) {
      const input = parseInput(openSchema, raw, 'open quote');
      let rows: RowDataPacket[];
      try {
        [rows] = await pool.query<RowDataPacket[]>(`SELECT state FROM \`${prefix}companies\` WHERE id = ?`, [
          uuidToBytes(input.customerId),
        ]);
      } catch (e) {
        throw mapDriverError(e, 'check quote customer');
      }
      const company = rows[0];
      if (company === undefined) {
        return err(
          reject('QUOTE_CUSTOMER_NOT_FOUND', 'the customer is not a CRM company', {
            customerId: input.customerId,
          }),
        );
      }
      if (company['state'] !== 'active') {
        return err(
          reject('QUOTE_CUSTOMER_ARCHIVED', 'the customer is archived', { customerId: input.customerId }),
        );
      }
      // A delta quote references an accepted (locked) parent; a clone supersedes an existing quote.
      const refs: [string | null, string, OpenQuoteRejection['code']][] = [
        [input.parentQuoteId, "state = 'accepted'", 'QUOTE_PARENT_NOT_ACCEPTED'],
        [input.supersedesQuoteId, '1 = 1', 'QUOTE_SUPERSEDED_NOT_FOUND'],
      ];
      for (const [ref, condition, code] of refs) {
        if (ref === null) continue;
        let found: RowDataPacket[];
        try {
          [found] = await pool.query<RowDataPacket[]>(
            `SELECT 1 FROM \`${prefix}quotes\` WHERE id = ? AND ${condition}`,
            [uuidToBytes(ref)],
          );
        } catch (e) {
          throw mapDriverError(e, 'check referenced quote');
        }
        if (found.length === 0)
          return err(reject(code, 'the referenced quote does not qualify', { quoteId: ref }));
      }
      const year = Number(runtime.clock.now().slice(0, 4));
      const quoteNumber = await allocateQuoteNumber(pool, prefix, year);
      return handler({
        streamId: input.quoteId as unknown as Uuid,
        command: { type: 'create', ...input, quoteNumber },
        facts,
        metadata,
      });
    },
    handle: ((
      ...args:
        | [QuoteRequest, CommandMetadata]
        | [Commercial.QuoteId, QuoteRequest['command'], CommandMetadata]
    ) => {
      const request = args.length === 3 ? undefined : (args[0] as Partial<QuoteRequest> | null | undefined);
      const [quoteId, command, metadata] =
        args.length === 3 ? args : [request?.quoteId, request?.command, args[1]];
      return handler({
        streamId: quoteId as unknown as Uuid,
        command: command as QuoteRequest['command'],
        facts,
        metadata,
      });
    }) as MysqlQuoting['handle'],
    accept: Commercial.createQuoteAcceptance(
      runtime,
      {
        quotes: quoteDefinition,
        sales: saleDefinition,
        ...(options.policy === undefined ? {} : { policy: options.policy }),
      },
      options.acceptanceSteps ?? [],
    ),
  };
}
