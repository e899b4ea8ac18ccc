import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { EVENTS_TABLE, JOURNAL_TABLE, journalMigration, migrations } from './list/index.js';
import { MIGRATION_ID_PATTERN, migrationSchema, validateMigrations } from './migration.js';

/**
 * Fingerprints of the released migrations' logical content (sha256 of their JSON). A released migration
 * is immutable: if this test fails because you edited one, revert the edit and write a new migration.
 * When you release a new migration, add its fingerprint here (the failure message prints it).
 * The MySQL driver freezes the compiled checksums the same way.
 */
const RELEASED: Readonly<Record<string, string>> = {
  '2026_11_22_0001_create_schema_migrations':
    'fc080c69a33986ff1eb6f52408a147c1a9363c23fe5591923cbc8a57705c76b4',
  '2026_11_22_0002_create_domain_events': '6e49731bac7cecae4f49579fb9b108e1868f8149ab55bd422b7eab5e62e05a0b',
  '2026_11_22_0003_create_employees': 'b3eac43b55ca02af5c88931ab39b3537feab65eabcce434de930b799ebcee6fb',
  '2026_11_22_0004_create_teams': 'ace014a65e401028571ae0d028d2a5dbedaf37fe493e25440f1bf64598ef7bc9',
  '2026_11_22_0005_create_team_memberships':
    'df96c5b964bea0d64d4ce6809a7f82c42b724e552731b7fd7b9d559b6ea1246e',
  '2026_11_22_0006_create_org_structure_versions':
    'dfc555738b908738e81e2ae7f23f3dacaf6819d092eba495d35effa149c21b80',
  '2026_11_22_0007_create_companies': '92e2c2fcb8eb829eae941865721e4159ce4e1a326bc568ade34c3dcd842b8a3c',
  '2026_11_22_0008_create_people': '0449a671105746b6a53835ca71869bfbc9e590a8118098642712d9dc327b2532',
  '2026_11_22_0009_create_company_slots': '9f687a0b25632dc644b868074c9374945bec089b5635006f618360a44ec87e2b',
  '2026_11_22_0010_create_uid_sequences': 'd695620f3f9707629c1016bb1d7a1f447412c540f9e374918a21a163d6c9cc49',
  '2026_11_22_0011_create_crm_import_runs':
    'bea15e193a659a22ddba975f80b111d18261bbf61354dbbfbc6a1c87e951d8d7',
  '2026_11_22_0012_create_crm_dead_letters':
    '3d82f25c2dba241f8db900fd1f2af9f743b3085f14f85ba88aa2b53ee11b70fe',
  '2026_11_22_0020_create_malleable_schemas':
    'a8d0d464446b21d137a792c27bc8b3d009c1187afd0d4110d26f3542616c56cd',
  '2026_11_22_0021_create_leads': '46bed96ffeacb53fab7bc38f77619da4f06bb4fb3172fb4af03750faba236087',
  '2026_11_22_0022_create_qualifications': '042ea35e1ccb13bdba450f09ec4270ecc90fe433f5e2f2435a476c22529a8357',
  '2026_11_22_0023_create_opportunities': '6260b76e96af1aefaad05d2b36f1477194f263a97c2a54e9bed1b097f0fdf978',
  '2026_11_22_0030_create_quotes': 'b58391837873f6fee7024546c1a787d6a72b9f9d66db50520b6e56f8d4b2bac2',
  '2026_11_22_0031_create_sales': 'ac3f2f8c883c4172a6ee2b8a518a83eedf377c394e83eee43c78368a8a5ac9df',
  '2026_11_22_0032_create_quote_number_sequences':
    'f62809dc2bb37b1868d71e0fabe52c812d0bc447ceaeede4e4e9c4e196319b6f',
  '2026_11_22_0040_create_kpi_definitions':
    '64fb1dd8249f620bd0b5bbc138d77b9c5e43c6d928be270627f76dccc24593e8',
  '2026_11_22_0041_create_kpi_def_versions':
    '3d25f57a6d4d0377e3f688d5cdb4d49bce2bb4c1109a05a742fcc9a156058b14',
  '2026_11_22_0042_create_kpi_result_sets':
    'f822a5c225d133e85ff01b8ffe7f82ad5f66af13ffea1d5d250ba63be7ee55c7',
  '2026_11_22_0043_create_kpi_checkpoints':
    'ce56fd87da0dd01dc39ab410b619c68452a6566745d6f1c435178125fd2196f4',
  '2026_11_22_0044_create_kpi_results': 'd18a2f922de13077c4b30d681c19b1c9ee8cfedda41a245d103d26ece05b500d',
  '2026_11_22_0045_create_activity_feed': 'f73173fb0902ba6a9c2a9e48165b7948be502cebc16e22abbd7042777ca8b0ec',
  '2026_11_22_0046_create_projection_offsets':
    '5f7e43e9faa589f5ca0edbe7f6be7e4bc7351851d2148a41bf523846b428a8a2',
  '2026_11_22_0047_create_kpi_checkpoint_parts':
    '6c3b24ebc273aac2ffca10bd5823cb1d70e992a20f46c6ec12e4531c8699c60f',
  '2026_12_06_0101_create_knowledge_articles':
    'db8630f9623d23d6f3a0d38cf57a15cb0ba8db2386f503f13c147dbddb6f1a1c',
  '2026_12_06_0102_create_knowledge_versions':
    '10f775de27eb58e0456ccbb911b75ec4f57817f17e23aa96e314d4342e073e5e',
  '2026_12_06_0103_create_knowledge_links':
    '0688b468633af120adb57863387c06e5357385b69b05c39cca37410ce4a261e8',
  '2026_12_06_0104_create_knowledge_comments':
    'a392ab1491f2204c288a31da5ec3c466ee875ac7debad94b47b2d0517e2f84f7',
  '2026_12_06_0201_create_projects': '86d324ddef10ae107c200d5d628f985a552446b823e4fbab5956bd8d7e15ee9f',
  '2026_12_06_0202_create_sold_constraint_sets':
    'bb5f471dcacb00101b8b17bdeb6331a47d8d25fbd9cdc892fee0e16db40a60e7',
  '2026_12_06_0203_create_proj_sold_constraints':
    '890e2da25d4a4ca30f210d2e3ae4b314612cb3577e31942d687abd458d6e18c9',
  '2026_12_06_0204_create_milestones': '988b1ebf6a1ce987a206701f794db39505a0d4e242acfd29d4d8cc52bbd30356',
  '2026_12_06_0205_create_tasks': 'e1e8fd5d676eae63e90416602def63a48dc18e849a89a2fdc9c641c7984bd2ec',
  '2026_12_06_0206_create_project_variances':
    '90b30ce398bab7d0ce2a3f23ce5fcf1e09be0d45fdc0251a7394c9044de9205e',
  '2026_12_06_0301_create_tickets': 'a2a3b17b2f8100a69bdf1ceb78550d85eed419b21c31019d181c38d174940157',
  '2026_12_06_0302_create_ticket_links': 'ac9a3642fddd525ea1a7d29ef37b32e0363d95db5253c67597cdc2e1b53a3f31',
  '2026_12_06_0303_create_sla_definitions':
    '63a9fdda88fa7277015ced89659f4e5e1674719948dc598612a9cb6dc9f8d011',
  '2026_12_06_0304_create_sla_assignments':
    '6af2d4812e9f3b4401a55b664db392651a77e23fdea63cc76d8875f2db7a97e1',
  '2026_12_06_0305_create_sla_events': '9c434c62df82f955bba5303235db7c1faad3d897ef78d512789b7127f486e82c',
  '2026_12_06_0401_create_time_entries': '478bfa5dffedfd645479fdd05ef511262ce72cfb3e954e9158acb41802ff7055',
  '2026_12_06_0402_create_time_entry_adjustments':
    '4a1745e030a15a3474a24628728b8e6ad41542db1d8336b1069b1318c3796964',
  '2026_12_06_0403_create_resource_allocations':
    'ef05d6a71b0443b1fcb3c6a4cd7ce2f9091e58f5a181b7bf819a7b709fe9b4b6',
  '2026_12_06_0501_freeze_sales': 'aebf34a0cf299b9568ba61d3866e83d56ae79865566a214ea5b590432a786abf',
  '2026_12_06_0502_freeze_final_quotes': '3db6afb1fd80c655f2deaf529c569acee843236c71dfb5998c56e4ec375264c6',
  '2026_12_06_0503_freeze_attested_time': 'afc2780e8e1045ad8ea0c64527e7b5ff02a80063ca4a2f20ac4e57cbeb16dc97',
  '2026_12_06_0701_add_kpi_result_set_zone':
    'cb6aec8321f38a9fe4457bc32c8e89b8caf07f077973bbb3958df43e2ec22641',
  '2026_12_06_0801_freeze_published_slas': '7803979a1424d73f484040e2db8a9ecec2a17f2ea8c350857570cf953edd3a09',
  '2026_12_06_0901_rename_kpi_definition_versions':
    '989c0bb2fc63419bcf378959a428f9b85d6c9d21e15011cb3edb705a25325e3a',
  '2026_12_06_0902_rename_activity_feed_projections':
    'f733424ff2ffd52349ab5568e9836912f1f9e70407c9fd3b3a7b758683bb1983',
  '2026_12_06_0903_rename_project_sold_constraints':
    'c380a09f726b3a5bca993566c6f113ef73b936356a16253e28bd154200e51f46',
  '2026_12_06_0904_refuse_deletes': '944845c527ef8cccd4b46ebaf6d8a3b444585d59cc3655cb768d9dd887afcd1c',
  '2026_12_06_0930_add_lead_pipeline_columns':
    '021ec855ddfd119b70b37d23c4c51e2741e88e26097eb39332421363f64a1f7b',
  '2026_12_06_0931_add_crm_updated_at': '97417bb35c0b04a4b366d59ffb386195c6f0e59ae83dff7ea32cc530912f0def',
  '2026_12_06_0932_add_sale_snapshot_columns':
    'bb19bff9117019e5285555ec7ddd55d7a26e905ed26be5e6d40225ae0211986f',
  '2026_12_06_0950_key_crm_dead_letters': '8ce2fc91ef6c8fc8e2822ec4dbb8fc97c899c822313f5766edcd8a1ce326fcc8',
  '2026_12_06_0960_create_quote_versions': '3183513b2d88a54f94ea51b173a2ec13f6a0e407e42a2a2babb0dc7e46bcf15b',
  '2026_12_06_0961_create_quote_line_groups':
    'c129fdb6beda7c47613ea45f39719b9dd3b0702d3fcb92adb1245e1ab456521f',
  '2026_12_06_0962_create_quote_lines': '3323eef95449d3da8020ef4f570628390549acbcb0f0a2fd28866469fe53e54a',
  '2026_12_06_0963_move_quote_content_to_rows':
    'dd5065b05d925b7e7432a04903396ca062d735e62b19e2f66af5d9b6ba46f3ff',
  '2026_12_06_0964_create_lead_schema_versions':
    '19f3c50c32e16fb1a9d16c578879101eebde84b57d66d4b0cf308b545c2281c3',
  '2026_12_06_0965_move_schema_versions_to_rows':
    'baae6c26f3cb6816da1cff3619198cdb71769e85785acbf97a999ddbe1831789',
  '2026_12_06_1001_widen_lead_state': '274a9c2fe01a54e55299590bc7626ab1d24fbb25a273447306e782d911e4d713',
  '2026_12_06_1002_widen_kpi_scope_types': '2a8f72545b25781e83c58a92e8efc186353901ada01046910949af4470f99048',
  '2026_12_06_1003_freeze_knowledge_history':
    'd51766d08020ed5ba10ddf7603b012704b6e747c0a50048f5a75ae3da543d226',
  '2026_12_06_1004_grow_only_histories': '4f836d40b1837c127c13ceb94288f0f29b65682db92917288b49044296597748',
  '2026_12_06_1005_key_open_variances': '8a862ea6f3ef06f52e98b099360e966200e1041014eb24601293306a0d71ec03',
};

const fingerprint = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('the migration registry', () => {
  test('every entry is a valid migration', () => {
    for (const m of migrations) expect(migrationSchema.safeParse(m).error).toBeUndefined();
  });

  test('ids are unique and strictly increasing, and the list folds without breaking a rule', () => {
    const ids = migrations.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(MIGRATION_ID_PATTERN);
    expect(validateMigrations(migrations)).toEqual([]);
  });

  test('the first migration is the journal bootstrap and the second creates the event log', () => {
    expect(migrations[0]).toBe(journalMigration);
    expect(journalMigration.operations).toHaveLength(1);
    expect(journalMigration.operations[0]).toMatchObject({ op: 'createTable', table: JOURNAL_TABLE });
    expect(migrations[1]?.operations[0]).toMatchObject({ op: 'createTable', table: EVENTS_TABLE });
  });

  test('released migrations are frozen (an edit fails this test)', () => {
    const actual = Object.fromEntries(migrations.map((m) => [m.id, fingerprint(m)]));
    expect(actual).toEqual(RELEASED);
  });

  test('the list cannot be changed at run time', () => {
    expect(Object.isFrozen(migrations)).toBe(true);
    expect(Object.isFrozen(migrations[1]?.operations[0])).toBe(true);
  });

  test('given broken lists, when validated, then each broken rule is named', () => {
    const [a, b] = migrations as [(typeof migrations)[0], (typeof migrations)[0]];
    expect(validateMigrations([a, a])).toContainEqual({
      field: '1.id',
      rule: `duplicate id ${a.id}`,
    });
    expect(validateMigrations([b, a])).toContainEqual({
      field: '1.id',
      rule: `must come after ${b.id} (ids alone order the list)`,
    });
    expect(validateMigrations([{ ...a, id: '2026_02_30_0001_x' }])).toContainEqual({
      field: '0.id',
      rule: 'must start with a real calendar date',
    });
    expect(validateMigrations([{ ...b, operations: [...b.operations, b.operations[1]!] }])).toContainEqual({
      field: '0.operations.3',
      rule: 'domain_events already has its update guard',
    });
  });
});
