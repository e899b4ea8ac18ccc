import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import type { PersonId } from '../ids.js';
import { formatSlotUid } from '../uids.js';
import { type CompanySlotCommand, type CompanySlotFacts, companySlotCommandSchema } from './commands.js';
import type { CompanySlotEvent } from './events.js';
import type { CompanySlotRejection } from './rejections.js';
import type { CompanySlotState } from './state.js';

type Decision = Result<readonly CompanySlotEvent[], CompanySlotRejection>;

function factsProblem(
  personId: PersonId,
  state: CompanySlotState & { readonly companyId: string },
  facts: CompanySlotFacts | undefined,
): CompanySlotRejection | undefined {
  if (
    facts === undefined ||
    facts.person.personId !== personId ||
    facts.company.companyId !== state.companyId
  ) {
    return reject('SLOT_FACTS_MISSING', 'the person and the company were not loaded', { personId });
  }
  if (facts.person.status !== 'active') {
    return reject('SLOT_PERSON_NOT_ACTIVE', 'an archived person cannot take a slot', { personId });
  }
  if (facts.company.status !== 'active') {
    return reject('SLOT_COMPANY_NOT_ACTIVE', 'the company is archived', { companyId: state.companyId });
  }
  return undefined;
}

/**
 * Decides a slot command. Rules: open → pending (propose) → filled (link), or open → filled directly;
 * a filled slot must be vacated before another person is linked (linking the same person again is a
 * no-op); vacating returns the slot to open; only active people and active companies take part. One
 * person may fill slots at several companies.
 *
 * @example
 * ```ts
 * decideCompanySlot({ type: 'link', personId }, state, { person: { personId, status: 'active' }, company });
 * ```
 */
export function decideCompanySlot(
  command: CompanySlotCommand,
  state: CompanySlotState,
  facts: CompanySlotFacts | undefined,
): Decision {
  return checkedDecision(companySlotCommandSchema, command, 'company slot command', () => {
    if (command.type === 'open') {
      if (state.status !== 'absent') {
        return err(reject('SLOT_ALREADY_EXISTS', 'the slot exists already', { slotUid: state.slotUid }));
      }
      return ok([
        {
          type: 'company_slot.opened',
          payload: {
            slotId: command.slotId,
            slotUid: formatSlotUid(command.companyUid, command.role),
            companyId: command.companyId,
            companyUid: command.companyUid,
            role: command.role,
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('SLOT_NOT_FOUND', 'no such slot'));
    const ref = { slotId: state.slotId, companyId: state.companyId, role: state.role };
    switch (command.type) {
      case 'vacate':
        return state.status === 'open'
          ? err(reject('SLOT_ALREADY_OPEN', 'the slot is empty', { slotUid: state.slotUid }))
          : ok([{ type: 'company_slot.vacated', payload: { ...ref, personId: state.personId } }]);
      case 'propose': {
        if (state.status !== 'open' && state.personId === command.personId) return ok([]);
        if (state.status === 'filled') {
          return err(reject('SLOT_ALREADY_FILLED', 'vacate the slot first', { slotUid: state.slotUid }));
        }
        if (state.status === 'pending') {
          return err(reject('SLOT_NOT_OPEN', 'the slot already has a candidate', { slotUid: state.slotUid }));
        }
        const problem = factsProblem(command.personId, state, facts);
        if (problem !== undefined) return err(problem);
        return ok([
          { type: 'company_slot.person_proposed', payload: { ...ref, personId: command.personId } },
        ]);
      }
      case 'link': {
        if (state.status === 'filled') {
          return state.personId === command.personId
            ? ok([])
            : err(reject('SLOT_ALREADY_FILLED', 'vacate the slot first', { slotUid: state.slotUid }));
        }
        const problem = factsProblem(command.personId, state, facts);
        if (problem !== undefined) return err(problem);
        return ok([{ type: 'company_slot.filled', payload: { ...ref, personId: command.personId } }]);
      }
    }
  });
}
