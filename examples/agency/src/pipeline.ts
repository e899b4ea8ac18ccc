// Leads → qualifications → opportunities → quotes → sales, replayed story by story through the
// commercial command API, each command at its simulated business time.
import { uuidV7Ids } from '@pet-ops/adapters-mysql';
import {
  type CommandMetadata,
  Commercial,
  type Crm,
  type Delivery,
  type Identity,
  instantFromEpochMs,
  type Money,
  money,
  type Rejection,
  type Result,
} from '@pet-ops/core';
import {
  changeLead,
  changeOpportunity,
  changeQualification,
  createQuoting,
  markOpportunityWon,
  type Quoting,
} from '@pet-ops/sql';
import type { Agency } from './agency.js';
import { deliveryHandOff, type HandOff } from './hand-off.js';
import type { Progress } from './progress.js';
import { CURRENCY, type LeadStory, type QuoteLinePlan, type Scenario } from './scenario.js';
import { simClock } from './sim-clock.js';

/** How the concurrent double accept ended. */
export interface DoubleAccept {
  readonly quoteNumber: string;
  readonly winnerSaleId: string;
  /** The loser's typed rejection code (`QUOTE_ACCEPTED`). */
  readonly loserCode: string;
}

export interface PipelineSummary {
  readonly leads: number;
  readonly opportunities: number;
  readonly quotes: number;
  readonly sales: number;
  readonly commands: number;
  readonly doubleAccept: DoubleAccept | null;
}

/** A sold deal: what delivery needs to go on from the acceptance. */
export interface SoldDeal {
  readonly leadIndex: number;
  readonly quoteId: Commercial.QuoteId;
  readonly quoteNumber: string;
  readonly opportunityId: Commercial.OpportunityId;
  readonly customerId: Crm.CompanyId;
  readonly ownerId: Identity.EmployeeId;
  readonly acceptedAt: number;
  /** The project, baseline v1, milestones and tasks the acceptance created. */
  readonly delivery: Delivery.StartedDelivery;
}

/** What the pipeline leaves behind besides its summary. */
export interface PipelineResult {
  readonly summary: PipelineSummary;
  /** By lead index. */
  readonly sold: ReadonlyMap<number, SoldDeal>;
  /** The stable role ids of this run (quote lines' roles). */
  readonly roleId: (roleId: string) => string;
}

/** Stories replayed at once: each has its own clock; stories share nothing but the customers. */
const CONCURRENCY = 8;

/** Fails loudly on a rejection: the scenario only issues commands that must succeed. */
function expectOk<T>(what: string, r: Result<T, Rejection>): T {
  if (!r.ok) throw new Error(`${what} was rejected: [${r.error.code}] ${r.error.message}`);
  return r.value;
}

const eur = (amountMinor: number): Money => money(amountMinor, CURRENCY);

/**
 * A quoted labour line: a role's minutes at its sell and cost rates, its own milestone (`Delivery`,
 * `sequence`), so the hand-off makes one milestone and one task of it.
 *
 * @example
 * ```ts
 * await quoting.handle({ quoteId, command: { type: 'add_line', groupId, line: labourLine(l, 1, lineId, roleId) } }, metadata);
 * ```
 */
export function labourLine(
  l: QuoteLinePlan,
  sequence: number,
  lineId: string,
  roleId: string,
): Commercial.QuoteLine {
  return {
    lineId,
    kind: 'labour_task',
    description: `${l.title} (${l.minutes / 60} h)`,
    quantity: 1,
    unitPrice: null,
    unitCost: null,
    minutes: l.minutes,
    catalog: null,
    role: {
      roleId,
      name: l.title,
      sellRatePerHour: eur(l.sellRateMinor),
      costRatePerHour: eur(l.costRateMinor),
      recommendedSellRatePerHour: null,
    },
    milestone: { name: 'Delivery', sequence },
  };
}

/** Role ids are stable per role name within a run (the quote keeps a snapshot of the role and rates). */
export function roleIds(): (roleId: string) => string {
  const ids = new Map<string, string>();
  return (roleId) => {
    let id = ids.get(roleId);
    if (id === undefined) {
      id = uuidV7Ids.next();
      ids.set(roleId, id);
    }
    return id;
  };
}

/**
 * Replays every lead story, {@link CONCURRENCY} at a time.
 *
 * @example
 * ```ts
 * const summary = await runPipeline(agency, scenario, { employeeIds, companyIds }, progress);
 * ```
 */
export async function runPipeline(
  agency: Agency,
  scenario: Scenario,
  refs: {
    readonly employeeIds: ReadonlyMap<string, Identity.EmployeeId>;
    readonly companyIds: readonly Crm.CompanyId[];
  },
  progress: Progress,
): Promise<PipelineResult> {
  const phase = progress.phase('commercial pipeline', scenario.leads.length);
  const roleId = roleIds();
  const handOffs = new Map<string, HandOff>();
  const sold = new Map<number, SoldDeal>();
  const totals = { leads: 0, opportunities: 0, quotes: 0, sales: 0, commands: 0 };
  let doubleAccept: DoubleAccept | null = null;

  async function replay(story: LeadStory): Promise<void> {
    const clock = simClock(story.createdAt);
    const runtime = agency.runtime(clock);
    // Acceptance, in one transaction: the sale, the opportunity won, and the project with its sold
    // baseline, milestones and tasks (the delivery hand-off).
    const quoting: Quoting = createQuoting({
      runtime,
      acceptanceSteps: [
        markOpportunityWon,
        deliveryHandOff({
          ids: runtime.ids,
          target: () => undefined, // no change orders in the pipeline: they come with delivery
          record: (quoteId, handOff) => handOffs.set(quoteId, handOff),
        }),
      ],
    });
    const ownerId = refs.employeeIds.get(story.ownerKey)!;
    const customerId = refs.companyIds[story.companyIndex]!;
    const metadata: CommandMetadata = {
      actor: { type: 'employee', id: ownerId },
      context: { customerId },
    };
    const ids = runtime.ids;
    const leadId = ids.next() as unknown as Commercial.LeadId;
    const qualificationId = ids.next() as unknown as Commercial.QualificationId;
    const opportunityId = ids.next() as unknown as Commercial.OpportunityId;
    const quoteId = ids.next() as unknown as Commercial.QuoteId;
    let quoteNumber = '';
    let quoteVersion = 0;
    let groupId = '';
    let lineIds: string[] = [];
    const count = (): void => {
      totals.commands++;
    };

    const quoteCommand = async (
      what: string,
      command: Parameters<Quoting['handle']>[0]['command'],
    ): Promise<Commercial.QuoteState> => {
      count();
      return expectOk(what, await quoting.handle({ quoteId, command }, metadata)).state;
    };
    /** Lines and a two-part payment schedule (30 % at acceptance, the rest 30 days later). */
    const fillVersion = async (lines: readonly QuoteLinePlan[], at: number): Promise<void> => {
      lineIds = [];
      let sell = 0;
      for (const [i, l] of lines.entries()) {
        const lineId = ids.next();
        lineIds.push(lineId);
        sell += Math.round((l.sellRateMinor * l.minutes) / 60);
        await quoteCommand('adding a quote line', {
          type: 'add_line',
          groupId,
          line: labourLine(l, i + 1, lineId, roleId(l.roleId)),
        });
      }
      const upfront = Math.round((sell * 3) / 10);
      const due = new Date(at + 30 * 86_400_000).toISOString().slice(0, 10);
      await quoteCommand('defining the payment schedule', {
        type: 'define_payment_schedule',
        items: [
          { itemId: ids.next(), title: 'On acceptance', amount: eur(upfront), dueDate: null },
          { itemId: ids.next(), title: 'On delivery', amount: eur(sell - upfront), dueDate: due },
        ],
      });
    };
    /** Sends the draft, asking the team's approval first when the policy wants it. */
    const send = async (): Promise<void> => {
      count();
      let sent = await quoting.handle({ quoteId, command: { type: 'send' } }, metadata);
      if (!sent.ok && sent.error.code === 'QUOTE_APPROVAL_REQUIRED') {
        await quoteCommand('approving the quote', { type: 'approve', approverEmployeeId: ownerId });
        count();
        sent = await quoting.handle({ quoteId, command: { type: 'send' } }, metadata);
      }
      const state = expectOk('sending the quote', sent).state;
      if (state.status === 'absent') throw new Error('the quote vanished');
      quoteVersion = Commercial.currentVersion(state).version;
    };

    clock.set(story.createdAt);
    count();
    expectOk(
      'creating the lead',
      await changeLead(runtime, metadata, {
        leadId,
        command: {
          type: 'create',
          leadId,
          source: story.source,
          subject: story.subject,
          description: null,
          customerId,
          ownerEmployeeId: ownerId,
          teamId: null,
          schemaVersion: null,
          data: {},
        },
      }),
    );
    totals.leads++;

    for (const step of story.steps) {
      clock.set(step.at);
      switch (step.kind) {
        case 'qualification_started':
          count();
          expectOk(
            'starting the qualification',
            await changeQualification(runtime, metadata, {
              qualificationId,
              command: { type: 'start', qualificationId, leadId, schemaVersion: null, data: {} },
            }),
          );
          break;
        case 'qualified':
        case 'disqualified':
          count();
          expectOk(
            'completing the qualification',
            await changeQualification(runtime, metadata, {
              qualificationId,
              command:
                step.kind === 'qualified'
                  ? {
                      type: 'complete',
                      outcome: 'qualified',
                      opportunityClass: step.opportunityClass,
                      reason: null,
                    }
                  : {
                      type: 'complete',
                      outcome: 'disqualified',
                      opportunityClass: null,
                      reason: step.reason,
                    },
            }),
          );
          break;
        case 'opportunity_created':
          count();
          expectOk(
            'creating the opportunity',
            await changeOpportunity(runtime, metadata, {
              opportunityId,
              command: {
                type: 'create',
                opportunityId,
                leadId,
                customerId,
                probabilityBp: step.probabilityBp as Commercial.CreateOpportunity['probabilityBp'],
                estimatedValue: eur(step.estimatedValueMinor),
                ownerEmployeeId: ownerId,
                teamId: null,
              },
            }),
          );
          totals.opportunities++;
          break;
        case 'quote_created': {
          count();
          const opened = expectOk(
            'opening the quote',
            await quoting.open(
              { quoteId, opportunityId, customerId, currency: CURRENCY, title: story.subject },
              metadata,
            ),
          );
          if (opened.state.status !== 'absent') quoteNumber = opened.state.quoteNumber;
          groupId = ids.next();
          await quoteCommand('adding the implementation group', {
            type: 'add_group',
            groupId,
            kind: 'implementation',
            title: 'Implementation',
            recurring: null,
          });
          await fillVersion(step.lines, step.at);
          totals.quotes++;
          break;
        }
        case 'quote_sent':
          await send();
          count();
          expectOk(
            'moving the opportunity to proposal',
            await changeOpportunity(runtime, metadata, {
              opportunityId,
              command: { type: 'advance', to: 'proposal' },
            }),
          );
          break;
        case 'quote_revised':
          // The sent version is frozen: revising copies it into a new draft, which is re-priced and sent.
          await quoteCommand('revising the quote', { type: 'revise' });
          for (const lineId of lineIds)
            await quoteCommand('removing a line', { type: 'remove_line', lineId });
          await fillVersion(step.lines, step.at);
          await send();
          count();
          expectOk(
            'moving the opportunity to negotiation',
            await changeOpportunity(runtime, metadata, {
              opportunityId,
              command: { type: 'advance', to: 'negotiation' },
            }),
          );
          break;
        case 'quote_rejected':
          await quoteCommand('rejecting the quote', { type: 'reject', reason: step.reason });
          break;
        case 'opportunity_lost':
          count();
          expectOk(
            'losing the opportunity',
            await changeOpportunity(runtime, metadata, {
              opportunityId,
              command: { type: 'lose', reason: step.reason },
            }),
          );
          break;
        case 'quote_accepted': {
          const acceptedAt = instantFromEpochMs(step.at);
          const accept = () => {
            count();
            return quoting.accept(
              {
                quoteId,
                saleId: ids.next() as unknown as Commercial.SaleId,
                version: quoteVersion,
                acceptedBy: ownerId,
                acceptedAt,
              },
              metadata,
            );
          };
          if (!step.concurrent) {
            expectOk('accepting the quote', await accept());
          } else {
            // Two clients accept the same version at the same moment: one sale, one typed rejection.
            const [a, b] = await Promise.all([accept(), accept()]);
            const won = [a, b].filter((r) => r.ok);
            const lost = [a, b].filter((r) => !r.ok);
            if (won.length !== 1 || lost.length !== 1) {
              throw new Error(`double accept: expected one sale and one rejection, got ${won.length} sales`);
            }
            const winner = won[0]!;
            const loser = lost[0]!;
            doubleAccept = {
              quoteNumber,
              winnerSaleId: winner.ok && !winner.value.duplicate ? winner.value.value.saleId : '',
              loserCode: loser.ok ? '' : loser.error.code,
            };
          }
          totals.sales++;
          const handOff = handOffs.get(quoteId);
          if (handOff?.kind !== 'project')
            throw new Error(`quote ${quoteNumber} was accepted without a project`);
          sold.set(story.index, {
            leadIndex: story.index,
            quoteId,
            quoteNumber,
            opportunityId,
            customerId,
            ownerId,
            acceptedAt: step.at,
            delivery: handOff.started,
          });
          break;
        }
      }
    }
  }

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < scenario.leads.length) {
      const story = scenario.leads[next++]!;
      await replay(story);
      phase.tick();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  phase.done(
    `${totals.leads} leads, ${totals.opportunities} opportunities, ${totals.quotes} quotes, ${totals.sales} sales (${totals.commands} commands)`,
  );
  return { summary: { ...totals, doubleAccept }, sold, roleId };
}
