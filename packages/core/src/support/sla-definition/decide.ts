import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import {
  type SlaDefinitionCommand,
  type SlaDefinitionFacts,
  slaDefinitionCommandSchema,
} from './commands.js';
import type { SlaDefinitionEvent } from './events.js';
import type { SlaDefinitionRejection } from './rejections.js';
import type { SlaDefinitionState } from './state.js';
import { escalationStages, type SlaTerms } from './terms.js';

type Decision = Result<readonly SlaDefinitionEvent[], SlaDefinitionRejection>;

/** The rules every version's terms keep, draft or not: targets and thresholds. */
function termsProblem(terms: SlaTerms): SlaDefinitionRejection | undefined {
  const { responseTargetMinutes: response, resolutionTargetMinutes: resolution } = terms;
  if (response <= 0 || resolution <= 0 || response > resolution) {
    return reject('SLA_TARGETS_INVALID', 'targets must be > 0 and response ≤ resolution', {
      responseTargetMinutes: response,
      resolutionTargetMinutes: resolution,
    });
  }
  if (terms.warningThresholdBp < 100 || terms.warningThresholdBp >= 10_000) {
    return reject('SLA_THRESHOLD_INVALID', 'the warning threshold must be 1 % .. below 100 %', {
      warningThresholdBp: terms.warningThresholdBp,
      minBp: 100,
      maxBp: 9_999,
    });
  }
  const thresholds = terms.escalationRules.map((r) => r.thresholdBp);
  const bad = thresholds.find((t) => t < 100 || t > 10_000);
  if (bad !== undefined) {
    return reject('SLA_THRESHOLD_INVALID', 'escalation thresholds must be 1–100 %', {
      thresholdBp: bad,
      minBp: 100,
      maxBp: 10_000,
    });
  }
  if (new Set(thresholds).size !== thresholds.length) {
    return reject('SLA_THRESHOLD_INVALID', 'two escalation rules share a threshold', { thresholds });
  }
  return undefined;
}

/**
 * Decides an SLA definition command. A version is edited only as a draft; publishing needs a calendar and
 * at least one enabled escalation rule; a published version is immutable (a change is a new version);
 * deprecated versions no longer attach; archived is terminal.
 *
 * @example
 * ```ts
 * const r = decideSlaDefinition({ type: 'publish', at }, state, {});
 * if (!r.ok) console.log(r.error.code); // e.g. SLA_ESCALATION_RULE_REQUIRED
 * ```
 */
export function decideSlaDefinition(
  command: SlaDefinitionCommand,
  state: SlaDefinitionState,
  facts: SlaDefinitionFacts | undefined,
): Decision {
  return checkedDecision(slaDefinitionCommandSchema, command, 'SLA definition command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent') {
        return err(reject('SLA_ALREADY_EXISTS', 'this SLA version exists already', { status: state.status }));
      }
      if (facts?.latestVersionNumber === undefined) {
        return err(
          reject('SLA_FACTS_MISSING', 'the latest version of the name was not loaded', {
            fact: 'latestVersionNumber',
          }),
        );
      }
      const expected = (facts.latestVersionNumber ?? 0) + 1;
      if (command.versionNumber !== expected) {
        return err(
          reject('SLA_VERSION_NOT_NEXT', 'a new version follows the latest one', {
            versionNumber: command.versionNumber,
            expectedVersionNumber: expected,
          }),
        );
      }
      const problem = termsProblem(command.terms);
      if (problem !== undefined) return err(problem);
      const { slaDefinitionId, versionNumber, terms, at } = command;
      return ok([{ type: 'sla.created', payload: { slaDefinitionId, versionNumber, terms, at } }]);
    }
    if (state.status === 'absent') return err(reject('SLA_NOT_FOUND', 'no such SLA version'));
    if (state.status === 'archived') {
      return err(reject('SLA_ARCHIVED', 'an archived SLA version cannot change', { status: state.status }));
    }
    const ids = { slaDefinitionId: state.slaDefinitionId, versionNumber: state.versionNumber };
    switch (command.type) {
      case 'update': {
        if (state.status !== 'draft') {
          return err(reject('SLA_NOT_DRAFT', 'a published SLA is immutable: create a new version', ids));
        }
        const problem = termsProblem(command.terms);
        if (problem !== undefined) return err(problem);
        return ok([
          { type: 'sla.updated', payload: { slaDefinitionId: state.slaDefinitionId, terms: command.terms } },
        ]);
      }
      case 'publish': {
        if (state.status !== 'draft') {
          return err(
            reject('SLA_NOT_DRAFT', 'only a draft can be published', { ...ids, status: state.status }),
          );
        }
        if (state.terms.calendarId === null) {
          return err(reject('SLA_CALENDAR_REQUIRED', 'publishing needs a business calendar', ids));
        }
        if (escalationStages(state.terms.escalationRules).length === 0) {
          return err(
            reject('SLA_ESCALATION_RULE_REQUIRED', 'publishing needs at least one enabled escalation rule', {
              ...ids,
              escalationRules: state.terms.escalationRules.length,
            }),
          );
        }
        return ok([{ type: 'sla.published', payload: { ...ids, at: command.at } }]);
      }
      case 'deprecate':
        if (state.status !== 'published') {
          return err(
            reject('SLA_NOT_PUBLISHED', 'only a published SLA can be deprecated', {
              ...ids,
              status: state.status,
            }),
          );
        }
        return ok([{ type: 'sla.deprecated', payload: { ...ids, at: command.at } }]);
      case 'archive':
        if (state.status === 'published') {
          return err(
            reject('SLA_NOT_PUBLISHED', 'deprecate a published SLA before archiving it', {
              ...ids,
              status: state.status,
            }),
          );
        }
        return ok([{ type: 'sla.archived', payload: { ...ids, at: command.at } }]);
    }
  });
}
