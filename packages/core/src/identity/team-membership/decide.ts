import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import {
  type TeamMembershipCommand,
  type TeamMembershipFacts,
  teamMembershipCommandSchema,
} from './commands.js';
import type { TeamMembershipEvent } from './events.js';
import type { TeamMembershipRejection } from './rejections.js';
import type { TeamMembershipState } from './state.js';

type Decision = Result<readonly TeamMembershipEvent[], TeamMembershipRejection>;

/**
 * Decides a membership command. Rules: only an active employee joins an active team; at most one open
 * membership per (team, employee); removal sets `removedAt` once, never before `assignedAt`; history
 * is kept (a closed membership is immutable).
 *
 * @example
 * ```ts
 * decideTeamMembership({ type: 'remove', at }, state, undefined);
 * ```
 */
export function decideTeamMembership(
  command: TeamMembershipCommand,
  state: TeamMembershipState,
  facts: TeamMembershipFacts | undefined,
): Decision {
  return checkedDecision(teamMembershipCommandSchema, command, 'team membership command', () => {
    if (command.type === 'add') {
      if (state.status !== 'absent') {
        return err(
          reject('MEMBERSHIP_ALREADY_EXISTS', 'the membership exists already', { status: state.status }),
        );
      }
      if (
        facts === undefined ||
        facts.team.teamId !== command.teamId ||
        facts.employee.employeeId !== command.employeeId
      ) {
        return err(
          reject('MEMBERSHIP_FACTS_MISSING', 'the team, employee and open memberships were not loaded', {
            teamId: command.teamId,
            employeeId: command.employeeId,
          }),
        );
      }
      if (facts.team.status !== 'active') {
        return err(reject('MEMBERSHIP_TEAM_NOT_ACTIVE', 'the team is archived', { teamId: command.teamId }));
      }
      if (facts.employee.status !== 'active') {
        return err(
          reject('MEMBERSHIP_EMPLOYEE_NOT_ACTIVE', 'only active employees join teams', {
            employeeId: command.employeeId,
            status: facts.employee.status,
          }),
        );
      }
      const open = facts.openMembershipIds.filter((id) => id !== command.membershipId);
      if (open.length > 0) {
        return err(
          reject('MEMBERSHIP_ALREADY_OPEN', 'the employee already has an open membership in this team', {
            openMembershipIds: open,
          }),
        );
      }
      return ok([
        {
          type: 'team.member_added',
          payload: {
            membershipId: command.membershipId,
            teamId: command.teamId,
            employeeId: command.employeeId,
            role: command.role,
            assignedAt: command.at,
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('MEMBERSHIP_NOT_FOUND', 'no such membership'));
    if (state.status === 'closed') {
      return err(
        reject('MEMBERSHIP_ALREADY_REMOVED', 'the membership is closed', { removedAt: state.removedAt }),
      );
    }
    // Instants are fixed-width UTC strings, so string order is time order.
    if (command.at < state.assignedAt) {
      return err(
        reject('MEMBERSHIP_INVALID_PERIOD', 'a membership cannot end before it starts', {
          assignedAt: state.assignedAt,
          removedAt: command.at,
        }),
      );
    }
    return ok([
      {
        type: 'team.member_removed',
        payload: {
          membershipId: state.membershipId,
          teamId: state.teamId,
          employeeId: state.employeeId,
          removedAt: command.at,
        },
      },
    ]);
  });
}
