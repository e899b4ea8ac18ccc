import { z } from 'zod';
import { type Instant, instantSchema } from '../../kernel/index.js';
import { type CompanySlotId, type PersonId, personIdSchema } from '../ids.js';
import { type PersonUid, personUidSchema } from '../uids.js';
import { crmNameSchema } from '../values.js';
import { type ValidationStatus, validationStatusSchema } from './events.js';

/**
 * Creates a person (`unverified`). `personId` is the stream id; `personUid` was allocated by the
 * database for the UTC day of `createdAt`. The e-mail is given raw and stored normalised.
 */
export interface CreatePerson {
  readonly type: 'create';
  readonly personId: PersonId;
  readonly personUid: PersonUid;
  readonly createdAt: Instant;
  readonly name: string;
  readonly email: string | null;
  readonly linkedinUrl: string | null;
}

/** What an update may change (raw values; unchanged ones are ignored). */
export interface PersonUpdate {
  readonly name?: string;
  readonly email?: string | null;
  readonly linkedinUrl?: string | null;
}

/** Changes personal fields; the event carries only those that changed. */
export interface UpdatePerson {
  readonly type: 'update';
  readonly changes: PersonUpdate;
}

/** Records the outcome of a contact-data check. */
export interface SetValidationStatus {
  readonly type: 'setValidationStatus';
  readonly validationStatus: ValidationStatus;
}

/** active → archived at `at`; the person must hold no slot. */
export interface ArchivePerson {
  readonly type: 'archive';
  readonly at: Instant;
}

/** Every person command. */
export type PersonCommand = CreatePerson | UpdatePerson | SetValidationStatus | ArchivePerson;

/** What `archive` needs: the slots the person fills or is proposed for. */
export interface PersonFacts {
  readonly occupiedSlotIds: readonly CompanySlotId[];
}

const optionalText = z.string().max(2048).nullable();

/**
 * Zod schema of a {@link PersonCommand} (shape only; e-mail and LinkedIn URL are checked by the decider).
 *
 * @example
 * ```ts
 * const command = parseInput(personCommandSchema, raw, 'person command');
 * ```
 */
export const personCommandSchema: z.ZodType<PersonCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    personId: personIdSchema,
    personUid: personUidSchema,
    createdAt: instantSchema,
    name: crmNameSchema,
    email: optionalText.default(null),
    linkedinUrl: optionalText.default(null),
  }),
  z.object({
    type: z.literal('update'),
    changes: z
      .object({
        name: crmNameSchema.exactOptional(),
        email: optionalText.exactOptional(),
        linkedinUrl: optionalText.exactOptional(),
      })
      .strict(),
  }),
  z.object({ type: z.literal('setValidationStatus'), validationStatus: validationStatusSchema }),
  z.object({ type: z.literal('archive'), at: instantSchema }),
]);
