import { type Decider, err, type Instant, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { type MalleableSchemaCommand, malleableSchemaCommandSchema } from './commands.js';
import type { MalleableSchemaEvent, MalleableSchemaId } from './events.js';
import { fieldRuleIssues, type MalleableField, malleableFieldSchema } from './fields.js';
import type { MalleableSchemaRejection } from './rejections.js';

/** Status of one schema version: draft → active → historical. */
export type SchemaVersionStatus = 'draft' | 'active' | 'historical';

/** One version of an entity type's schema. Published versions never change. */
export interface MalleableSchemaVersion {
  readonly entityType: string;
  readonly version: number;
  readonly status: SchemaVersionStatus;
  readonly fields: readonly MalleableField[];
  readonly publishedAt: Instant | null;
}

/** The schema of one entity type: every kept version (discarded drafts are gone). */
export type MalleableSchemaState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'defined';
      readonly schemaId: MalleableSchemaId;
      readonly entityType: string;
      /** Highest version number ever drafted (numbers are never reused). */
      readonly lastVersion: number;
      readonly versions: readonly MalleableSchemaVersion[];
    };

/** The state before any event. @example `initialMalleableSchemaState()` → `{ status: 'absent' }` */
export function initialMalleableSchemaState(): MalleableSchemaState {
  return { status: 'absent' };
}

/**
 * Folds one event into the schema state.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveMalleableSchema, initialMalleableSchemaState());
 * ```
 */
export function evolveMalleableSchema(
  state: MalleableSchemaState,
  event: MalleableSchemaEvent,
): MalleableSchemaState {
  switch (event.type) {
    case 'schema.draft_created': {
      const p = event.payload;
      const draft: MalleableSchemaVersion = {
        entityType: p.entityType,
        version: p.version,
        status: 'draft',
        fields: p.fields,
        publishedAt: null,
      };
      return state.status === 'absent'
        ? {
            status: 'defined',
            schemaId: p.schemaId,
            entityType: p.entityType,
            lastVersion: p.version,
            versions: [draft],
          }
        : { ...state, lastVersion: p.version, versions: [...state.versions, draft] };
    }
    case 'schema.draft_updated':
      if (state.status === 'absent') return state;
      return {
        ...state,
        versions: state.versions.map((v) =>
          v.version === event.payload.version ? { ...v, fields: event.payload.fields } : v,
        ),
      };
    case 'schema.draft_discarded':
      if (state.status === 'absent') return state;
      return { ...state, versions: state.versions.filter((v) => v.version !== event.payload.version) };
    case 'schema.published':
      if (state.status === 'absent') return state;
      return {
        ...state,
        versions: state.versions.map((v) => {
          if (v.version === event.payload.version) {
            return { ...v, status: 'active', publishedAt: event.payload.publishedAt };
          }
          return v.status === 'active' ? { ...v, status: 'historical' } : v;
        }),
      };
  }
}

/**
 * The version `version` of a schema state, or null.
 *
 * @example
 * ```ts
 * schemaVersionOf(state, 1)?.fields;
 * ```
 */
export function schemaVersionOf(state: MalleableSchemaState, version: number): MalleableSchemaVersion | null {
  return state.status === 'absent' ? null : (state.versions.find((v) => v.version === version) ?? null);
}

/** The active version of a schema state, or null. @example `activeSchemaVersion(state)?.version` */
export function activeSchemaVersion(state: MalleableSchemaState): MalleableSchemaVersion | null {
  return state.status === 'absent' ? null : (state.versions.find((v) => v.status === 'active') ?? null);
}

const draftOf = (state: MalleableSchemaState): MalleableSchemaVersion | null =>
  state.status === 'absent' ? null : (state.versions.find((v) => v.status === 'draft') ?? null);

type Decision = Result<readonly MalleableSchemaEvent[], MalleableSchemaRejection>;

/**
 * Field rules plus "no type change of a key that was ever published". Returns the fields in their
 * normalised form (labels trimmed) — what the event stores — or the rejection.
 */
function checkFields(
  state: MalleableSchemaState,
  raw: readonly unknown[],
): Result<readonly MalleableField[], MalleableSchemaRejection> {
  const issues = fieldRuleIssues(raw);
  if (issues.length > 0) {
    return err(reject('SCHEMA_FIELDS_INVALID', 'the field list breaks the field rules', { issues }));
  }
  const fields = raw.map((f) => malleableFieldSchema.parse(f));
  if (state.status === 'absent') return ok(fields);
  for (const f of fields) {
    for (const v of state.versions) {
      if (v.status === 'draft') continue;
      const before = v.fields.find((p) => p.key === f.key);
      if (before !== undefined && before.type !== f.type) {
        return err(
          reject('SCHEMA_FIELD_TYPE_CHANGED', 'a published field keeps its type', {
            key: f.key,
            type: f.type,
            publishedType: before.type,
            version: v.version,
          }),
        );
      }
    }
  }
  return ok(fields);
}

/**
 * Decides a malleable schema command. Rules (spec §2.6): at most one draft and one active version per
 * entity type; only the draft can be edited or deleted; publishing validates the draft, demotes the
 * active version to historical and promotes the draft in one event (atomic, irreversible); a field key
 * never changes type once published; version numbers are never reused.
 *
 * @example
 * ```ts
 * decideMalleableSchema({ type: 'publish', at }, state);
 * ```
 */
export function decideMalleableSchema(
  command: MalleableSchemaCommand,
  state: MalleableSchemaState,
  _facts?: undefined,
): Decision {
  return checkedDecision(malleableSchemaCommandSchema, command, 'malleable schema command', () => {
    if (command.type === 'create_draft') {
      if (state.status === 'defined' && state.entityType !== command.entityType) {
        return err(
          reject('SCHEMA_ENTITY_TYPE_MISMATCH', 'this schema belongs to another entity type', {
            entityType: state.entityType,
          }),
        );
      }
      const open = draftOf(state);
      if (open !== null) {
        return err(
          reject('SCHEMA_DRAFT_EXISTS', 'finish or discard the open draft first', { version: open.version }),
        );
      }
      const fields = checkFields(state, command.fields);
      if (!fields.ok) return fields;
      const schemaId = state.status === 'defined' ? state.schemaId : command.schemaId;
      const version = state.status === 'defined' ? state.lastVersion + 1 : 1;
      return ok([
        {
          type: 'schema.draft_created',
          payload: { schemaId, entityType: command.entityType, version, fields: fields.value },
        },
      ]);
    }
    if (state.status === 'absent')
      return err(reject('SCHEMA_NOT_FOUND', 'no schema for this entity type yet'));
    const draft = draftOf(state);
    if (draft === null) return err(reject('SCHEMA_NO_DRAFT', 'there is no open draft'));
    switch (command.type) {
      case 'update_draft': {
        const fields = checkFields(state, command.fields);
        if (!fields.ok) return fields;
        return ok([
          {
            type: 'schema.draft_updated',
            payload: { schemaId: state.schemaId, version: draft.version, fields: fields.value },
          },
        ]);
      }
      case 'discard_draft':
        return ok([
          { type: 'schema.draft_discarded', payload: { schemaId: state.schemaId, version: draft.version } },
        ]);
      case 'publish': {
        if (draft.fields.length === 0) return err(reject('SCHEMA_EMPTY', 'a schema version needs fields'));
        const fields = checkFields(state, draft.fields);
        if (!fields.ok) return fields;
        return ok([
          {
            type: 'schema.published',
            payload: {
              schemaId: state.schemaId,
              entityType: state.entityType,
              version: draft.version,
              previousActive: activeSchemaVersion(state)?.version ?? null,
              publishedAt: command.at,
            },
          },
        ]);
      }
    }
  });
}

/**
 * The malleable schema aggregate as a decider (stream type `malleable_schema`, one stream per entity type).
 *
 * @example
 * ```ts
 * DeciderSpecification.for(malleableSchemaDecider).given([]).when(createDraft).then([draftCreated]);
 * ```
 */
export const malleableSchemaDecider: Decider<
  MalleableSchemaState,
  MalleableSchemaCommand,
  MalleableSchemaEvent,
  undefined,
  MalleableSchemaRejection
> = {
  initialState: initialMalleableSchemaState,
  decide: decideMalleableSchema,
  evolve: evolveMalleableSchema,
};
