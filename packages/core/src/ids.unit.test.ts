import { describe, expect, expectTypeOf, test } from 'vitest';
import * as Commercial from './commercial/index.js';
import * as Crm from './crm/index.js';
import * as Delivery from './delivery/index.js';
import * as Identity from './identity/index.js';
import { isUuidV7 } from './kernel/index.js';
import * as Knowledge from './knowledge/index.js';
import * as Support from './support/index.js';
import { sequentialIds } from './testing/index.js';
import * as Time from './time/index.js';

/** Every context's aggregates whose ids a host mints. */
const OWNED: Record<string, readonly string[]> = {
  Identity: ['EmployeeId', 'TeamId', 'TeamMembershipId', 'OrgStructureVersionId'],
  Crm: ['CompanyId', 'CompanySlotId', 'PersonId'],
  Commercial: ['LeadId', 'QualificationId', 'OpportunityId', 'QuoteId', 'SaleId', 'MalleableSchemaId'],
  Delivery: ['ProjectId', 'SoldConstraintsId', 'MilestoneId', 'TaskId', 'VarianceId'],
  Support: ['TicketId', 'SlaDefinitionId', 'SlaAssignmentId'],
  Time: ['TimeEntryId', 'TimeEntryAdjustmentId', 'ResourceAllocationId'],
  Knowledge: ['ArticleId', 'ArticleVersionId', 'CommentId'],
};
const CONTEXTS: Record<string, Record<string, unknown>> = {
  Identity,
  Crm,
  Commercial,
  Delivery,
  Support,
  Time,
  Knowledge,
};

describe('typed id factories', () => {
  test.each(Object.entries(OWNED))(
    'given %s, when each aggregate id is made from a generator, then it is the generator’s next UUIDv7',
    (context, names) => {
      const ids = sequentialIds(7);
      const expected = sequentialIds(7);
      for (const name of names) {
        const factory = CONTEXTS[context]?.[`new${name}`];
        expect(typeof factory, `${context}.new${name}`).toBe('function');
        const id = (factory as (g: typeof ids) => string)(ids);
        expect(id).toBe(expected.next());
        expect(isUuidV7(id)).toBe(true);
      }
    },
  );

  test('given a factory, when its id is used in a command, then it type-checks without a cast', () => {
    const ids = sequentialIds();
    expectTypeOf(Identity.newEmployeeId(ids)).toEqualTypeOf<Identity.EmployeeId>();
    expectTypeOf(Commercial.newQuoteId(ids)).toEqualTypeOf<Commercial.QuoteId>();
    expectTypeOf(Delivery.newTaskId(ids)).toEqualTypeOf<Delivery.TaskId>();
    expectTypeOf(Support.newTicketId(ids)).toEqualTypeOf<Support.TicketId>();
    expectTypeOf(Time.newTimeEntryId(ids)).toEqualTypeOf<Time.TimeEntryId>();
    expectTypeOf(Knowledge.newArticleId(ids)).toEqualTypeOf<Knowledge.ArticleId>();
    expectTypeOf(Crm.newCompanyId(ids)).toEqualTypeOf<Crm.CompanyId>();
    // @ts-expect-error — an employee id is not a team id
    const wrong: Identity.TeamId = Identity.newEmployeeId(ids);
    expect(wrong).toBeTypeOf('string');
  });
});
