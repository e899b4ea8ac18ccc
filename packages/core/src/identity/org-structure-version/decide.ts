import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import {
  type OrgStructureVersionCommand,
  type OrgStructureVersionFacts,
  orgStructureVersionCommandSchema,
} from './commands.js';
import type { OrgStructureVersionEvent } from './events.js';
import type { OrgStructureVersionRejection } from './rejections.js';
import type { OrgStructureVersionState } from './state.js';
import { validateOrgStructure } from './structure.js';

type Decision = Result<readonly OrgStructureVersionEvent[], OrgStructureVersionRejection>;

/**
 * Decides the publication of an org-structure version. Rules: versions are immutable; numbers
 * continue the latest (1, 2, …); each starts strictly after the latest; after the first, none takes
 * effect before it is published; the snapshot must be a valid tree. Together these make the effective
 * periods contiguous and non-overlapping (see `effectivePeriods`).
 *
 * @example
 * ```ts
 * decideOrgStructureVersion(publish, { status: 'absent' }, { latest: { versionNumber: 1, effectiveFrom } });
 * ```
 */
export function decideOrgStructureVersion(
  command: OrgStructureVersionCommand,
  state: OrgStructureVersionState,
  facts: OrgStructureVersionFacts | undefined,
): Decision {
  return checkedDecision(orgStructureVersionCommandSchema, command, 'org structure version command', () => {
    if (state.status !== 'absent') {
      return err(
        reject('ORG_VERSION_ALREADY_PUBLISHED', 'a published version is immutable; publish a new one', {
          versionNumber: state.versionNumber,
        }),
      );
    }
    if (facts === undefined) {
      return err(
        reject('ORG_VERSION_FACTS_MISSING', 'the latest published version was not loaded', {
          fact: 'latest',
        }),
      );
    }
    const issues = validateOrgStructure(command.structure);
    if (issues.length > 0) {
      return err(reject('ORG_STRUCTURE_INVALID', 'the structure breaks a structural rule', { issues }));
    }
    const latest = facts.latest;
    if (latest !== null) {
      if (!(command.effectiveFrom > latest.effectiveFrom)) {
        return err(
          reject('ORG_VERSION_NOT_AFTER_PREVIOUS', 'a new version must start after the latest one', {
            latestVersionNumber: latest.versionNumber,
            latestEffectiveFrom: latest.effectiveFrom,
            effectiveFrom: command.effectiveFrom,
          }),
        );
      }
      if (command.effectiveFrom < command.publishedAt) {
        return err(
          reject('ORG_VERSION_RETROACTIVE', 'an org change takes effect only forward', {
            effectiveFrom: command.effectiveFrom,
            publishedAt: command.publishedAt,
          }),
        );
      }
    }
    return ok([
      {
        type: 'org_structure.version_published',
        payload: {
          versionId: command.versionId,
          versionNumber: (latest?.versionNumber ?? 0) + 1,
          effectiveFrom: command.effectiveFrom,
          publishedAt: command.publishedAt,
          structure: command.structure,
        },
      },
    ]);
  });
}
