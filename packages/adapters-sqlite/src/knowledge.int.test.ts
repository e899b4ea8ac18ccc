// The knowledge context's persistence (articles, versions, links, comments) on SQLite: the shared contract.
import { describeKnowledgeContract } from '../../sql/src/contract/knowledge-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeKnowledgeContract('sqlite', async () => {
  const file = await freshFile('pet_');
  const d = file.open();
  return {
    db: d.db,
    dialect: d.dialect,
    prefix: 'pet_',
    close: async () => {
      await d.close();
      file.remove();
    },
  };
});
