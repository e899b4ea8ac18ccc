// `pet db grants`: prints what `grantStatements` returns (the least-privilege int test of
// adapters-mysql proves those grants on a real server); no connection is needed to print them.
import { describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.js';
import { pet } from './pet-process.test.js';

describe('pet db grants', () => {
  it('prints both users and their grants for the database of the URL', async () => {
    const r = await pet([
      'db',
      'grants',
      '--url',
      'mysql://root@127.0.0.1:3306/shop',
      '--app-user',
      'shop_app',
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain(
      "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, TRIGGER ON `shop`.* TO 'pet_migrate'@'%';",
    );
    expect(r.stdout).toContain("GRANT SELECT, INSERT, UPDATE, DELETE ON `shop`.* TO 'shop_app'@'%';");
    // The application user never gets DROP (TRUNCATE needs it); nobody gets ALL.
    expect(r.stdout).not.toMatch(/GRANT[^;]*\bALL\b/);
    expect(r.stdout).not.toMatch(/GRANT[^;]*\bDROP\b[^;]*'shop_app'/);
  });

  it('--json gives the statements by user', async () => {
    const r = await pet(['db', 'grants', '--url', 'mysql://root@h/pet', '--host', 'localhost', '--json']);
    expect(JSON.parse(r.stdout)).toEqual({
      database: 'pet',
      migrate: [
        "CREATE USER IF NOT EXISTS 'pet_migrate'@'localhost'",
        "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, TRIGGER ON `pet`.* TO 'pet_migrate'@'localhost'",
      ],
      app: [
        "CREATE USER IF NOT EXISTS 'pet_app'@'localhost'",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON `pet`.* TO 'pet_app'@'localhost'",
      ],
    });
  });

  it('a user name that could break out of the quotes, or the same name twice: exit 2 naming the option', async () => {
    const quote = await pet(['db', 'grants', '--url', 'mysql://root@h/pet', '--app-user', "x'@'%"]);
    expect(quote.code).toBe(EXIT.usage);
    expect(quote.stderr).toMatch(/^pet: invalid grant options: appUser: /);
    const same = await pet(['db', 'grants', '--url', 'mysql://root@h/pet', '--app-user', 'pet_migrate']);
    expect(same.code).toBe(EXIT.usage);
    expect(same.stderr).toContain('must differ');
  });

  it('on SQLite: exit 2, there are no users to grant to', async () => {
    const r = await pet(['db', 'grants', '--url', 'sqlite::memory:', '--json']);
    expect(r.code).toBe(EXIT.usage);
    expect(JSON.parse(r.stderr).error.code).toBe('UNSUPPORTED_DATABASE');
  });
});
