import { migrations } from '@pet-ops/migrations';
import { logicalChecksums } from '@pet-ops/sql';
import { describe, expect, test } from 'vitest';
import { compileList, legacyChecksums, migrationChecksums } from './checksum.js';
import { widgetMigrations } from './fixtures.test.js';

/**
 * The checksums of the released migrations, as every journal records them: sha256 of the canonical form
 * of their logical operations (the same on MariaDB and SQLite). A released migration is immutable: if
 * this fails because you edited one, revert and write a new migration — installed databases would refuse
 * to run (MIGRATION_TAMPERED). When you release a new migration, add its checksum here.
 */
const RELEASED_CHECKSUMS: Readonly<Record<string, string>> = {
  '2026_11_22_0001_create_schema_migrations':
    '93975cd4bbe53211a0dd1a0da7c0b9c0e9e85c4246340effc2e47b88c6255b0c',
  '2026_11_22_0002_create_domain_events': 'b4ced8c9297e46ff0e36881aff8483400d3184c982f87df9c2ab46cd597973c0',
  '2026_11_22_0003_create_employees': '99b64e77c5f099966aa852caa72d1f18c235c43f53f711bc42bb5a45e09cbfcc',
  '2026_11_22_0004_create_teams': 'd8fcee161dca183a4954e34ea0865d46e65a310e976a49c7d69f519f62cf634f',
  '2026_11_22_0005_create_team_memberships':
    '2c222ab69c31609408bbd0cebf938be64a3627f9ddf7b24065aa883aec632da9',
  '2026_11_22_0006_create_org_structure_versions':
    '29fe37fc9f6373dc58195905cb4b212a2b0294eaad2f18e5d116ac74086ffa77',
  '2026_11_22_0007_create_companies': 'fda82d96ac0d2e41587fcace09c2fb6645b535edb46010cb04d758261dac10da',
  '2026_11_22_0008_create_people': '9af2df497898feabeafd53fc5936f9953942156fff7e783852ddc1b404a38b1c',
  '2026_11_22_0009_create_company_slots': '64db3bdf2a4006a5c26bc82894e25cb61868b922e66919addcf6014c4b5db6f3',
  '2026_11_22_0010_create_uid_sequences': '204cf2763ae6d831e671cc741a9925dc5722b0e450bbbe9cef8981b2801a2df3',
  '2026_11_22_0011_create_crm_import_runs':
    '9b87b111a684e8a026b2e60d659a12378035386f06ecbc9eb2efdb28f38d0568',
  '2026_11_22_0012_create_crm_dead_letters':
    '5786167013dd48ea298112a90ea1a6e6f296240ae398a0bc236082170555eae8',
  '2026_11_22_0020_create_malleable_schemas':
    '843e52f1b8d08d6123483f840891274f0a85aacc706c084b242e88525496fdd9',
  '2026_11_22_0021_create_leads': 'e42d75d54392a02dc2fc144e15df3f923ee4e7b1c26ffad54c0245d8dce040c3',
  '2026_11_22_0022_create_qualifications': '78911e385adc45619307b4f1586dabf2e38660c4fe2df22c4b91a99b7833c6bc',
  '2026_11_22_0023_create_opportunities': 'dacfd8cd66553094cd6df57efd741e0283f2795c07bc8ea32e3cf914924fc1d9',
  '2026_11_22_0030_create_quotes': 'aac2ae8d3b1d5a4f8936b013af09596c060d2f205c2099daded8cbf18289196f',
  '2026_11_22_0031_create_sales': 'd51f9ef8f4412a2ea0abcbece65de85dd82455af92a56a4d02df4bc8b8cf96d2',
  '2026_11_22_0032_create_quote_number_sequences':
    'bf4a15c9e50955a484860a2e4bb0a6748161e1d063cb9411b676396c787911e5',
  '2026_11_22_0040_create_kpi_definitions':
    'f3466e893375dca4f1b0b07cde5ec2694e56e11968f9fe97bfd3ed8a11daa3b9',
  '2026_11_22_0041_create_kpi_def_versions':
    'b8fa6c03a74507549f0ec30c8be5535d34df02d39095410bda5c29b9adbdb749',
  '2026_11_22_0042_create_kpi_result_sets':
    '4c4c409ecabe2af4c669d7bdc523ce9eba398c28cb2c733c8a9b3d8996a72285',
  '2026_11_22_0043_create_kpi_checkpoints':
    '6b59cc0843fc10e0ed612099a536f7742dd4f72d02ca6686bbb669e51bf4b345',
  '2026_11_22_0044_create_kpi_results': '34bb6f8e323d5ec11472ff703977ea48b24e9fa2cd09d748cafa8f429f75482a',
  '2026_11_22_0045_create_activity_feed': '34f82fc8613d9a5d814228ea0721cf9e5b204adcb4e41ce8623da4cc1510185f',
  '2026_11_22_0046_create_projection_offsets':
    'b542167aa9b78acab8f5f002bd1c6b92d472cfc78189a657c5a5fbc002c676e7',
  '2026_11_22_0047_create_kpi_checkpoint_parts':
    '47263f5a4cf63f08e0399e391620a72e3ed803822790d7fc0d06655252953326',
  '2026_12_06_0101_create_knowledge_articles':
    'ca989887037475192212f272efe6d14a383cb522eed5897a2afd261f25fe6914',
  '2026_12_06_0102_create_knowledge_versions':
    'a2d76358446d143727e52da7a2fcbcdb7c83f8c0c3f9f782bb4c9ef88b5cb79d',
  '2026_12_06_0103_create_knowledge_links':
    '25fb1fe8cec4e7e480c67a8ef44912458913c3780a94a3728a25326be3b0bb2e',
  '2026_12_06_0104_create_knowledge_comments':
    '9688381fd5074d9d6d13c50126fa3e253a89a564c1d4d9f1f99abb94ba878d59',
  '2026_12_06_0201_create_projects': '1e13a75a5b24e3a5fd9a5509e2ab0afb6cc6862dde2d89b20fff4ee04221c840',
  '2026_12_06_0202_create_sold_constraint_sets':
    '4f0bd232a92251525fa39f1c47d04f3ad99e9d0169c204fc7356f80fb073ff05',
  '2026_12_06_0203_create_proj_sold_constraints':
    'ef0b6322619a7fdb8e1d2f261bd9c905c74fca999e5b2b3a6ec129b81010741d',
  '2026_12_06_0204_create_milestones': '0ae5490c8355e387ab58771ef81c3dbd8d140df8603e77d29594e5ac3424b037',
  '2026_12_06_0205_create_tasks': '07aaf24c980f757989283b9b18ae04824b34b5c0f5e669a4bdfe9be63492744b',
  '2026_12_06_0206_create_project_variances':
    'c1ed98faf8a87ab9fd22816e253b524435a3a34650226f67273388d9d4e60b5f',
  '2026_12_06_0301_create_tickets': '2fa96ac0babac1e3b8747581485bf27b160dd51c4a1fde84454447dbdd9dce8a',
  '2026_12_06_0302_create_ticket_links': '23a8119ae023907ef75512da17521d6f98333b450fcdb3de0fb034342e2c634e',
  '2026_12_06_0303_create_sla_definitions':
    'd025461313c8d22f8b03c3bdf4d1fb566e8d8c88bbccbbbf40b256d49c5ac2b8',
  '2026_12_06_0304_create_sla_assignments':
    'b13923611469a65a2af7b20f68190795aac43c7e7c5e55da64d05903a9fe426a',
  '2026_12_06_0305_create_sla_events': '2c6908ff35fa8847ac2d9509caefd2bc2ff8ed0ddd91cf3ced0c6b038b2004bc',
  '2026_12_06_0401_create_time_entries': '924983c3cf3597d9a5ee7e6607d9421e5a8b88b92f907f4d1e91f295cfd355c7',
  '2026_12_06_0402_create_time_entry_adjustments':
    'a5f15c51b335a6b2460803eba730cdc72513ef1164608679ff439a6a8ac6b540',
  '2026_12_06_0403_create_resource_allocations':
    '9403f7294489c0065a8a45a91ef5816c02100c01992a2796e001856349452527',
  '2026_12_06_0501_freeze_sales': '513fd85d236ffc5a452a0c6a03bd746fc98913d9d3918e06b4d378dcdddfe500',
  '2026_12_06_0502_freeze_final_quotes': 'e1b9581ededb9664e0399ba0360b151c64751a15ce735082708477059f88dc41',
  '2026_12_06_0503_freeze_attested_time': 'b2c12463585ad4c6ddc530f5aa68dd3428d142a6f47a02844856989561865f5c',
  '2026_12_06_0701_add_kpi_result_set_zone':
    '1d4b828181c6e12e68e26f9e85736f610925e2d37a28e747d7e4b254c482e9ff',
  '2026_12_06_0801_freeze_published_slas': '2a1c19583f32890f81d3dd10a3711533b4f58d771d41615ea0f5dcbc14d1dfd7',
  '2026_12_06_0901_rename_kpi_definition_versions':
    '34434012070a718df22ab3892b34ca9ebc4e7e1f8fcf6024e0483de8751175c9',
  '2026_12_06_0902_rename_activity_feed_projections':
    'd8b4b1592f98c7e8d7621d5ccab5cf4b59f2f7f0dbb675f060094663b4198aa3',
  '2026_12_06_0903_rename_project_sold_constraints':
    '325ba492c6dfa034e57a9e27259dc7783f5563553324efae6a4ff9b6cf7caa42',
  '2026_12_06_0904_refuse_deletes': 'dd493b7ec62020276f4776e018f8892eb4a1b4c598a692787b582486fddfd597',
  '2026_12_06_0930_add_lead_pipeline_columns':
    '4c497b4f9c216eea5e45d667e9089d7fe9f051df4c3a23074eca314f69b57948',
  '2026_12_06_0931_add_crm_updated_at': '0ebae653e4940e6b3ae162296cd7d74bfe48c246123c8cedbc5603782a8438a2',
  '2026_12_06_0932_add_sale_snapshot_columns':
    '2883d6130a2892c1bed9ab6e145f9fe556e329de6b7ff7efe5415b452f431f2a',
  '2026_12_06_0950_key_crm_dead_letters': '23d942aaa1586779611816f5797afa2742a33e78af5ae0aa168d22858bb6a933',
  '2026_12_06_0960_create_quote_versions': '0404f93d83c000d79dce977f95437c0d9e4ab8f1ad1b1578509a212810a9842e',
  '2026_12_06_0961_create_quote_line_groups':
    'd41918a3417def09c5a66ceb866afc72c761b6458887a691c82e9b5b57394c75',
  '2026_12_06_0962_create_quote_lines': '07136a0057b8a74e77f1fabbcae9c71bbab2283cab83b8ba2e811f6ee6c7792e',
  '2026_12_06_0963_move_quote_content_to_rows':
    'f45abc26b90cc7c72f2c0de39608d155fb2ea308e7f3f9e7484a6e87955ef1e8',
  '2026_12_06_0964_create_lead_schema_versions':
    '5d5a27cb36c1cf64743176e2f8e2d6901abe607c73f57b3c10e85402f882c0a1',
  '2026_12_06_0965_move_schema_versions_to_rows':
    '2279f27bb6ec25732cfa3287767d66b5433c7ac06f16381b913bc01204bc1309',
  '2026_12_06_1001_widen_lead_state': '045bb74a043bda0dbffbf4f2ffb56edd952cc7d88b13b89ca85f1fe231405f1d',
  '2026_12_06_1002_widen_kpi_scope_types': '0ff091e939ee31f57e7464570ad2de107551e8bb72fc6e224cde830c59a84b65',
  '2026_12_06_1003_freeze_knowledge_history':
    '6d25169dd10e1f24a75bfaf29e2b806965221b6e359d546c657f0bb615fa2eaa',
  '2026_12_06_1004_grow_only_histories': 'bf63e0cfd2bb55d4fdcb88aa322139e015d0a8bd56be8bae95d1150b575041f8',
  '2026_12_06_1005_key_open_variances': '47a5f7b93f0515ca0d7ae19c94354c61e3f3f3d0b0fb0c679a6b3af5410756d7',
};

/**
 * Frozen: the compiled-statement checksums that versions before the logical checksums recorded. The
 * engine recognises a journal row carrying these as the same migration and upgrades it; never add to
 * this table (new migrations only ever record logical checksums).
 */
const LEGACY_CHECKSUMS: Readonly<Record<string, string>> = {
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
  '2026_12_06_0201_create_projects': '18753935af3e3dd9989952d2e30c256da46c3c0d933ca0a03984b3104b4428ab',
  '2026_12_06_0202_create_sold_constraint_sets':
    'e3a0e3884c1b92a866fffb039424a4072fac20549fcf04ee0587621386f4782c',
  '2026_12_06_0203_create_proj_sold_constraints':
    '590253cd8f954e005a8613b5277626fa7998015aafa73e4cadd4a3f62124c33a',
  '2026_12_06_0204_create_milestones': 'c37301f6c96359ec85bbf9fa84f6c4dc2e30c2275579b5885e01f71c47b3e989',
  '2026_12_06_0205_create_tasks': '141ba35276e1addbbb2568b65e3038a9f6dfd19ee2340f38078f727910d754a3',
  '2026_12_06_0206_create_project_variances':
    '6134fb1aac77cb8e2e4135e9ba40ee826f7b0a9695fc5714ea97d9e8bb803c21',
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
};

describe('migration checksums', () => {
  test('released migrations keep their logical checksums (an edit fails this test)', () => {
    expect(Object.fromEntries(migrations.map((m) => [m.id, migrationChecksums(m).checksum]))).toEqual(
      RELEASED_CHECKSUMS,
    );
  });

  test('given the migrations released before the logical checksums, then their legacy checksums are those earlier journals recorded', () => {
    const released = migrations.filter((m) => m.id in LEGACY_CHECKSUMS);
    expect(released).toHaveLength(Object.keys(LEGACY_CHECKSUMS).length);
    expect(Object.fromEntries(released.map((m) => [m.id, legacyChecksums(m).checksum]))).toEqual(
      LEGACY_CHECKSUMS,
    );
    expect(released.filter((m) => legacyChecksums(m).checksum === migrationChecksums(m).checksum)).toEqual(
      [],
    );
  });

  test('given the MySQL engine, then its checksums are the dialect-neutral logical ones, one step per statement', () => {
    for (const m of compileList(migrations, 'wp_pet_')) {
      const source = migrations.find((x) => x.id === m.id)!;
      expect({ checksum: m.checksum, stepChecksums: m.stepChecksums }).toEqual(logicalChecksums(source));
      expect(m.stepChecksums).toHaveLength(m.statements.length);
      expect(m.legacy).toEqual(legacyChecksums(source));
      expect(m.legacy.stepChecksums).toHaveLength(m.statements.length);
    }
  });

  test('given any prefix, then the checksums are the same (they do not depend on the prefix)', () => {
    const plain = compileList(migrations, '');
    const prefixed = compileList(migrations, 'wp_pet_');
    expect(prefixed.map((m) => [m.checksum, m.stepChecksums, m.legacy])).toEqual(
      plain.map((m) => [m.checksum, m.stepChecksums, m.legacy]),
    );
    expect(prefixed[1]?.statements[0]).toContain('CREATE TABLE `wp_pet_domain_events`');
  });

  test('given one changed operation, then the migration checksum and only that step checksum change', () => {
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
