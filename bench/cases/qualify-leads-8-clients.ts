// qualify-leads-8-clients: the lead-pipeline workflow "complete a qualification" from 8 concurrent
// clients. Each workflow, in one transaction: loads the qualification FOR UPDATE, updates it (version
// check) and appends qualification.completed, then loads its lead FOR UPDATE, updates it and appends
// lead.qualified.
// lib: changeQualification (core's runWorkflow over the MySQL unit of work, deciders, event validation).
// raw: the same statements by hand with mysql2 (READ COMMITTED, row locks, versioned UPDATEs, the
// append latch around each INSERT — see GAP-SAFETY.md — and COMMIT).
// Setup (not measured): `size` leads, each with a started qualification, created through the library.
import {
  appendLatchName,
  changeLead,
  changeQualification,
  connect,
  connectionOptions,
  createMysqlUnitOfWork,
  LEAD_PIPELINE_TABLES,
  systemClock,
  uuidV7Ids,
} from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import { type CommandRuntime, Commercial, createEventRegistry, type Uuid } from '@pet-ops/core';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';
import { insertSql, rowParams } from '../rows.js';

const CLIENTS = 8;
const args = parseCaseArgs(process.argv);
const url = await freshDatabase(args.url, args.database);
await installSchema(url);

const pool = await connect({ url, connectionLimit: CLIENTS });
const runtime: CommandRuntime = {
  unitOfWork: createMysqlUnitOfWork({ pool, prefix: '', tables: LEAD_PIPELINE_TABLES }),
  registry: createEventRegistry({ events: Commercial.leadPipelineEventDefinitions }),
  clock: systemClock,
  ids: uuidV7Ids,
};
const metadata = { actor: { type: 'system' as const, id: 'bench' } };
const perClient = Math.floor(args.size / CLIENTS);
const plan: { lead: Commercial.LeadId; qualification: Commercial.QualificationId }[][] = [];
await Promise.all(
  Array.from({ length: CLIENTS }, async (_, c) => {
    const mine: (typeof plan)[number] = [];
    plan[c] = mine;
    for (let i = 0; i < perClient; i++) {
      const lead = uuidV7Ids.next() as string as Commercial.LeadId;
      const qualification = uuidV7Ids.next() as string as Commercial.QualificationId;
      const a = await changeLead(runtime, metadata, {
        leadId: lead,
        command: {
          type: 'create',
          leadId: lead,
          source: 'bench',
          subject: `Lead ${c}/${i}`,
          description: null,
          customerId: null,
          ownerEmployeeId: null,
          teamId: null,
          schemaVersion: null,
          data: {},
        },
      });
      const b = await changeQualification(runtime, metadata, {
        qualificationId: qualification,
        command: {
          type: 'start',
          qualificationId: qualification,
          leadId: lead,
          schemaVersion: null,
          data: {},
        },
      });
      if (!a.ok || !b.ok) throw new Error('setup failed');
      mine.push({ lead, qualification });
    }
  }),
);

const bytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');
const event = (streamType: string, type: string, payload: unknown) => ({
  eventId: uuidV7Ids.next(),
  type,
  schemaVersion: 1,
  streamType,
  occurredAt: systemClock.now(),
  actor: metadata.actor,
  context: {},
  correlationId: null,
  causationId: null,
  payload,
});

const t0 = performance.now();
if (args.mode === 'lib') {
  await Promise.all(
    plan.map(async (items) => {
      for (const { qualification } of items) {
        const r = await changeQualification(runtime, metadata, {
          qualificationId: qualification,
          command: { type: 'complete', outcome: 'qualified', opportunityClass: 'gold', reason: null },
        });
        if (!r.ok) throw new Error(r.error.code);
      }
    }),
  );
} else {
  const latch = appendLatchName(args.database, 'domain_events');
  await Promise.all(
    plan.map(async (items) => {
      const conn = await createConnection(connectionOptions(url));
      await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      const append = async (
        streamId: string,
        version: number,
        e: ReturnType<typeof event>,
      ): Promise<void> => {
        await conn.execute(
          'SELECT GET_LOCK(?, ?) AS latched, (SELECT CAST(COALESCE(MAX(stream_version), 0) AS CHAR) FROM domain_events WHERE stream_id = ?) AS head',
          [latch, 10, bytes(streamId)],
        );
        await conn.execute(insertSql('domain_events', 1), rowParams(streamId as Uuid, version, [e as never]));
        await conn.execute('DO RELEASE_LOCK(?)', [latch]);
      };
      for (const { lead, qualification } of items) {
        await conn.beginTransaction();
        const [qs] = await conn.execute<RowDataPacket[]>(
          'SELECT * FROM qualifications WHERE id = ? FOR UPDATE',
          [bytes(qualification)],
        );
        const q = qs[0] as { version: number };
        await conn.execute(
          'UPDATE qualifications SET state = ?, lead_id = ?, outcome = ?, opportunity_class = ?, disqualification_reason = ?, malleable_schema_version = ?, malleable_data = ?, version = ? WHERE id = ? AND version = ?',
          [
            'completed',
            bytes(lead),
            'qualified',
            'gold',
            null,
            null,
            '{}',
            q.version + 1,
            bytes(qualification),
            q.version,
          ],
        );
        await append(
          qualification,
          q.version + 1,
          event('qualification', 'qualification.completed', {
            qualificationId: qualification,
            leadId: lead,
            outcome: 'qualified',
            opportunityClass: 'gold',
            reason: null,
          }),
        );
        const [ls] = await conn.execute<RowDataPacket[]>('SELECT * FROM leads WHERE id = ? FOR UPDATE', [
          bytes(lead),
        ]);
        const l = ls[0] as { version: number; source: string; subject: string };
        await conn.execute(
          'UPDATE leads SET state = ?, source = ?, subject = ?, description = ?, customer_id = ?, owner_employee_id = ?, team_id = ?, malleable_schema_version = ?, malleable_data = ?, qualification_id = ?, opportunity_class = ?, disqualification_reason = ?, version = ? WHERE id = ? AND version = ?',
          [
            'qualified',
            l.source,
            l.subject,
            null,
            null,
            null,
            null,
            null,
            '{}',
            bytes(qualification),
            'gold',
            null,
            l.version + 1,
            bytes(lead),
            l.version,
          ],
        );
        await append(
          lead,
          l.version + 1,
          event('lead', 'lead.qualified', {
            leadId: lead,
            qualificationId: qualification,
            opportunityClass: 'gold',
          }),
        );
        await conn.commit();
      }
      await conn.end();
    }),
  );
}
const seconds = (performance.now() - t0) / 1000;
await pool.end();
emit({ value: (perClient * CLIENTS) / seconds, unit: 'workflows/s', rssPeakMb: peakRssMb() });
