import { migrations } from '@pet-ops/migrations';
import { describe, expect, test } from 'vitest';
import { compileList, migrationChecksums } from './checksum.js';
import { widgetMigrations } from './fixtures.test.js';

/**
 * The compiled checksums of the released migrations, as recorded in every installed journal. A released
 * migration is immutable: if this fails because you edited one (or changed how the MySQL driver
 * compiles it), revert and write a new migration — installed databases would refuse to run
 * (MIGRATION_TAMPERED). When you release a new migration, add its checksum here.
 */
const RELEASED_CHECKSUMS: Readonly<Record<string, string>> = {
  '2026_11_22_0001_create_schema_migrations':
    '52beb79772d2087627f8485faf24b91d27df259151cac50f31aadc1a085f31ef',
  '2026_11_22_0002_create_domain_events': '698fa16c8e581f8b6a40d77b74520291154115eb97e3c424d4698446907d7816',
  '2026_11_22_0003_create_employees': '274b0f2ce8e5e390a3fc325d79488a7594a23b825ea7334e873476ea5c15081b',
  '2026_11_22_0004_create_teams': '3bd5e9f3f627387cedd7ac0c9fb2d87638205d628efe4c29fdbbf972a13a6390',
  '2026_11_22_0005_create_team_memberships':
    '5fba1104e7f3f2541161dd75b9e89a1109d89939040bea13605229a67c0832de',
  '2026_11_22_0006_create_org_structure_versions':
    'f65ced1be80f261752553dd9efc2456e38aca8f36454e0442f448470661dd0b5',
  '2026_11_22_0007_create_companies': 'b4e9e29c6feee743277b720c7aeb516afa2a99665dd351fe701d7e718de721e7',
  '2026_11_22_0008_create_people': '93230e727e3e8842977f0cbe41de63788ee81053749fc13e1af97e493fddd5a9',
  '2026_11_22_0009_create_company_slots': 'dc0cb9d4ca5cda37b8a198eb6654821e3e12187b6e92543980c603bec1489568',
  '2026_11_22_0010_create_uid_sequences': '8ed94b25bf96d6ebdf33100fc6a389ef799b732524b732087cbf126fc37ee3d8',
  '2026_11_22_0011_create_crm_import_runs':
    '869c01ffb63c47bd4d86a99ba117be400ac2485a4ba9b6db1ccb98f05d25c24f',
  '2026_11_22_0012_create_crm_dead_letters':
    '2ada4604c22f66dd2cb89005b25abb010db6aefa34835450c8b80ffa087ac9d3',
  '2026_11_22_0020_create_malleable_schemas':
    '7f793e550cecb423c80e73242ac42a0146ea5b5e0d5dff482921d5c7cbf87d80',
  '2026_11_22_0021_create_leads': '8ea89e6cc38f66a41a6e3f2c74736f19fb18081102d89cacb3231bd94d22ae3e',
  '2026_11_22_0022_create_qualifications': '4dc08d156a522df4866fd057b6ae205be018723c45a34ba29fc9f2ccea798e6c',
  '2026_11_22_0023_create_opportunities': '21e3d98e31c3a5f49a81ce39b5059a7d2c5a3106ed79a259492626d4aaa643fc',
  '2026_11_22_0030_create_quotes': '8e4a0524bf3877c500438a8cf53911c80450b784decb0ef3a2e25fd179b76263',
  '2026_11_22_0031_create_sales': 'f81b47c3ac6e76c94dbe880b145980b6baebf0c47d85d5de3d0bd135b49ee614',
  '2026_11_22_0032_create_quote_number_sequences':
    '4ef94b75dd0ee6cd009792ff52fd3bbac891da660cd40579a022461c7bcf39b0',
  '2026_11_22_0040_create_kpi_definitions':
    '37020f6dc3075d441d38c6bab61fad18bb32a76c6a6800f6bab8e9d2c404cc5e',
  '2026_11_22_0041_create_kpi_def_versions':
    'b8e64b2c889c29dc54353bea94858367ee52270110f0751836d152a2ae9799a6',
  '2026_11_22_0042_create_kpi_result_sets':
    '6778ea28b648b30faa6edee4cea32741792c0064566fd7e3c96af527b5456eca',
  '2026_11_22_0043_create_kpi_checkpoints':
    '0ba981a93c49ac7ee0890f107c951e3812b951ea22e4dc90d60d54e854f01a2f',
  '2026_11_22_0044_create_kpi_results': '9082683927b93fa538de7c5773a36e42bffdcfc18fbbe0d591be87f400b8acf8',
  '2026_11_22_0045_create_activity_feed': '0458de61fb7cff8f944b28fefc3045e9b8d308d26451ed10da433ff7f08616e6',
  '2026_11_22_0046_create_projection_offsets':
    '0e3fe76ce95e545f391f4cc46d0b9a35b1a96828c26301430c24e29754bce0e5',
  '2026_11_22_0047_create_kpi_checkpoint_parts':
    'f39cb6c1f4e65fb8278a202b2e370d92c55e890dcd4010bda520a6c4e72adfe4',
  '2026_12_06_0101_create_knowledge_articles':
    'c663594ee7d98a96c2a5b1f6508815ddfd2aab70deccab37778a4acfd8b1441b',
  '2026_12_06_0102_create_knowledge_versions':
    '3f483d5183580d35b731b4825a009c8e5ffe57158ede9c72f925019caa6f5f44',
  '2026_12_06_0103_create_knowledge_links':
    'cc2b350805f628226f01096d26eb60b3969e147d3c697127fb4a0798d2ea8fa5',
  '2026_12_06_0104_create_knowledge_comments':
    'b4755d1460e8dca7aef3816d67c7e6490ea6c9bb9c0217e05c3682b609c4c12e',
  '2026_12_06_0301_create_tickets': '2e1a3fec51046d5c32922afb11b893c1ec9567bf8d47be65fa621e036fa4d4dc',
  '2026_12_06_0302_create_ticket_links': '112c060c028d0c3459f30e188851ce1ca8f830de24d0dbcb754e4b066723086e',
  '2026_12_06_0303_create_sla_definitions':
    '64aab9df9d39c13b2c77b8c81fb87a777f27548afaa88a372f028bc9e4ba9f15',
  '2026_12_06_0304_create_sla_assignments':
    '908e168140fb6da7e6a97999fd21f0913fde9d2556a6fca225ccec786f745f0f',
  '2026_12_06_0305_create_sla_events': '5484dc7c32864262d5c44455ebc06c52d36988c31875aa6aa1c13c507bb408cf',
  '2026_12_06_0401_create_time_entries': '006302ebc0fc1f30e2a6f309ca450edd649a1c0e33a9ab7e44a2099587cf2d9d',
  '2026_12_06_0402_create_time_entry_adjustments':
    '1568c9378ed8a96b32855f7b66169c8698099a060c92d11c0de86ee4c49ad553',
  '2026_12_06_0403_create_resource_allocations':
    '36c361d6c1768fe14e558f5ce9f65c58c870acef2446a1a220e7b2454a9aee3d',
  '2026_12_06_0501_freeze_sales': '0f12ac2b271a023214f2c96c1dacfcb056bc1915796b50108a03761ba03939d1',
  '2026_12_06_0502_freeze_final_quotes': 'd1581eaed4c7ad3affeed980e96853fbd630d5ff1d188d6373823300f8804659',
  '2026_12_06_0503_freeze_attested_time': '4175f6b390ed6c1833cbe66bad8d9c96a7c8209daf01af6b5109eb71261f422d',
};

describe('migration checksums', () => {
  test('released migrations keep their compiled checksums (an edit fails this test)', () => {
    expect(Object.fromEntries(migrations.map((m) => [m.id, migrationChecksums(m).checksum]))).toEqual(
      RELEASED_CHECKSUMS,
    );
  });

  test('given any prefix, then the checksums are the same (they are computed for the empty prefix)', () => {
    const plain = compileList(migrations, '');
    const prefixed = compileList(migrations, 'wp_pet_');
    expect(prefixed.map((m) => [m.checksum, m.stepChecksums])).toEqual(
      plain.map((m) => [m.checksum, m.stepChecksums]),
    );
    expect(prefixed[1]?.statements[0]).toContain('CREATE TABLE `wp_pet_domain_events`');
  });

  test('given one changed statement, then the migration checksum and only that statement checksum change', () => {
    const m = widgetMigrations[1]!;
    const edited = {
      ...m,
      operations: m.operations.map((op, i) => (i === 3 ? { ...op, table: 'gadgets' } : op)),
    };
    const a = migrationChecksums(m);
    const b = migrationChecksums(edited);
    expect(b.checksum).not.toBe(a.checksum);
    expect(a.stepChecksums.map((c, i) => c === b.stepChecksums[i])).toEqual([true, true, true, false, true]);
    expect(a.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});
