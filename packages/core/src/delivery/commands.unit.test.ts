import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { type FieldIssue, parseInput, ValidationError } from '../kernel/index.js';
import { milestoneCommandSchema } from './milestone/commands.js';
import { projectCommandSchema } from './project/commands.js';
import { soldConstraintsCommandSchema } from './sold-constraints/commands.js';
import { taskCommandSchema } from './task/commands.js';
import { at, constraint, eur, milestone, project, ref, task } from './test-support.test.js';
import { varianceCommandSchema } from './variance/commands.js';

/** The issues a schema reports for `raw` (empty when it parses). */
function issues(schema: z.ZodType, raw: unknown): readonly FieldIssue[] {
  try {
    parseInput(schema, raw, 'command');
    return [];
  } catch (e) {
    if (e instanceof ValidationError) return e.issues;
    throw e;
  }
}

const createTask = {
  type: 'create',
  taskId: task(1),
  projectId: project(1),
  name: 'API',
  estimatedMinutes: 600,
  sequence: 1,
  at: at(0),
};

describe('commands are plain data validated with zod; bad input names the field and the rule', () => {
  test('project', () => {
    const create = {
      type: 'create',
      projectId: project(1),
      kind: 'internal',
      name: 'Ops',
      customerId: null,
      soldConstraintsApply: false,
      at: at(0),
    };
    expect(issues(projectCommandSchema, create)).toEqual([]);
    expect(parseInput(projectCommandSchema, create, 'command')).toMatchObject({
      saleId: null,
      soldMinutes: null,
      startDate: null,
    });
    expect(issues(projectCommandSchema, { ...create, soldMinutes: 1.5 }).map((i) => i.field)).toEqual([
      'soldMinutes',
    ]);
    expect(issues(projectCommandSchema, { ...create, startDate: '2026-02-30' })[0]).toMatchObject({
      field: 'startDate',
      rule: 'must be a real calendar date',
    });
    expect(issues(projectCommandSchema, { type: 'update', changes: { colour: 'red' } })[0]?.field).toBe(
      'changes',
    );
  });

  test('sold constraints', () => {
    const amend = { type: 'amend', version: 1, changes: { soldMinutes: 10 } };
    expect(issues(soldConstraintsCommandSchema, amend)).toEqual([]);
    const create = {
      type: 'create',
      constraintId: constraint(1),
      projectId: project(1),
      reason: 'acceptance',
      saleId: ref(1),
      sourceQuoteId: ref(2),
      sourceQuoteVersion: 1,
      currency: 'EUR',
      wbs: [
        {
          ref: 'a',
          name: 'A',
          sequence: 1,
          tasks: [{ sourceLineId: ref(3), name: 'T', minutes: 1, roleId: null, sell: eur(1), cost: eur(1) }],
        },
        { ref: 'a', name: 'B', sequence: 2, tasks: [] },
      ],
      approvedBy: null,
      at: at(0),
    };
    expect(issues(soldConstraintsCommandSchema, create)).toEqual([
      { field: 'wbs', rule: 'milestone refs must be unique' },
    ]);
    expect(issues(soldConstraintsCommandSchema, { ...create, reason: 'rebaseline' })[0]?.field).toBe(
      'reason',
    );
  });

  test('milestone', () => {
    const define = {
      type: 'define',
      milestoneId: milestone(1),
      projectId: project(1),
      name: 'Build',
      sequence: 1,
      at: at(0),
    };
    expect(parseInput(milestoneCommandSchema, define, 'command')).toMatchObject({
      soldMinutes: 0,
      description: null,
      sourceRef: null,
    });
    expect(issues(milestoneCommandSchema, { ...define, sequence: 0 }).map((i) => i.field)).toEqual([
      'sequence',
    ]);
  });

  test('task', () => {
    expect(parseInput(taskCommandSchema, createTask, 'command')).toMatchObject({
      soldMinutes: 0,
      milestoneId: null,
      ticketId: null,
    });
    expect(issues(taskCommandSchema, { ...createTask, estimatedMinutes: -1 }).map((i) => i.field)).toEqual([
      'estimatedMinutes',
    ]);
    expect(issues(taskCommandSchema, { type: 'link_ticket', ticketId: 'T-1' })[0]).toMatchObject({
      field: 'ticketId',
      rule: 'must be a lower-case UUIDv7',
    });
  });

  test('variance', () => {
    const resolve = { type: 'resolve', resolution: 'write_off', cause: 'absorbed', by: ref(1), at: at(0) };
    expect(issues(varianceCommandSchema, resolve)).toEqual([]);
    expect(issues(varianceCommandSchema, { ...resolve, resolution: 'delete' }).map((i) => i.field)).toEqual([
      'resolution',
    ]);
    expect(issues(varianceCommandSchema, { ...resolve, cause: '  ' }).map((i) => i.field)).toEqual(['cause']);
  });
});
