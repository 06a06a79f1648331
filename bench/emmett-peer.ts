import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, type RunningProduct } from './product-process';

/**
 * Starts bench:http's Emmett peer (bench/emmett-tasks-server.ts) as a process of its own, so its CPU
 * time is read from /proc like the product's, on a free port, against `databaseUrl`, with `workers`
 * (user ids) as the only possible assignees. Resolves when its /health answers.
 */
export async function startEmmettPeer(databaseUrl: string, workers: readonly string[]): Promise<RunningProduct> {
  const port = await freePort();
  const logDir = join(__dirname, '..', '..', '.data', 'bench');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'emmett-peer.log');
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [join(__dirname, 'emmett-tasks-server.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), BENCH_PEER_WORKERS: workers.join(',') },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Emmett peer exited with ${child.exitCode} during start-up; see ${logFile}`);
    if (await fetch(`${baseUrl}/health`).then((response) => response.ok, () => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the Emmett peer did not answer /health within 60 s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    pid: child.pid!,
    logFile,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
