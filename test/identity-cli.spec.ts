import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PostgresEventStore } from '@app/eventstore';
import { userIdForEmail } from '../libs/identity/src/application/user-id';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const run = promisify(execFile);
const cli = join(__dirname, '..', 'dist', 'test', 'fixtures', 'identity-cli.fixture.js');

async function runCli(database: TestDatabase, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent', JWT_SECRET: 'cli-test-secret', BEAK_HASH_COST: '1024' };
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run cli -- users:create-admin', () => {
  let database: TestDatabase;
  const beak = '{"length":20.1,"depth":5,"width":4,"curvature":1.2}';

  beforeAll(async () => {
    database = await createTestDatabase('identity_cli');
  });
  afterAll(() => database.drop());

  it('creates an admin, and refuses a second user with that email', async () => {
    const created = await runCli(database, 'users:create-admin', '--name', 'Root', '--email', 'Root@Popug.io', '--beak', beak);
    expect(created).toMatchObject({ code: 0, stdout: `Admin Root@Popug.io created (user ${userIdForEmail('root@popug.io')}).\n` });
    const store = new PostgresEventStore({ connectionString: database.url });
    try {
      const [event] = await store.readStream(`user-${userIdForEmail('root@popug.io')}`);
      expect(event).toMatchObject({ type: 'UserRegistered', data: { name: 'Root', email: 'root@popug.io', role: 'admin' } });
      expect(JSON.stringify(event.data)).not.toContain('20.1');
    } finally {
      await store.close();
    }
    const again = await runCli(database, 'users:create-admin', '--name', 'Root', '--email', 'root@popug.io', '--beak', beak);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('A user with email root@popug.io already exists');
  });

  it.each([
    [['--email', 'a@popug.io', '--beak', beak], '--name is required'],
    [['--name', 'A', '--email', 'nope', '--beak', beak], '--email'],
    [['--name', 'A', '--email', 'a@popug.io', '--beak', '{"length":1}'], '--beak'],
    [['--name', 'A', '--email', 'a@popug.io', '--beak', 'not json'], '--beak'],
  ])('explains a mistake in one line with exit code 2: %j', async (args, message) => {
    const result = await runCli(database, 'users:create-admin', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: npm run cli -- users:create-admin');
  });
});
