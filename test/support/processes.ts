import type { ChildProcess } from 'node:child_process';
import { exited, type LogLine, spawnApp } from './child-process';
import { freePort } from './ports';
import { eventually } from './wait';

/** A compiled entry point of apps/ running as its own OS process. */
export interface AppProcess {
  child: ChildProcess;
  /** Its JSON log lines so far. */
  lines: () => LogLine[];
}

/** A compiled entry point of apps/ as its own OS process (this one's environment and `env`), once its log says `ready`. */
export async function startAppProcess(entry: string, env: NodeJS.ProcessEnv, ready: string): Promise<AppProcess> {
  const { child, output, lines } = spawnApp(entry, { ...process.env, ...env });
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}: ${output()}`);
    return output().includes(ready);
  }, 60_000, `${entry}: "${ready}"`).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { child, lines };
}

/**
 * The api (`npm run start:api`) and worker (`npm run start:worker`) processes of one deployment
 * on one database, every one with the same `env` (logging at info: readiness is read from the
 * log), as a deployment runs them. `stop()` ends them all.
 */
export class AppProcesses {
  /** Every process started, in the order started (those started together: the apis, then the workers). */
  readonly all: AppProcess[] = [];
  private readonly env: NodeJS.ProcessEnv;

  constructor(databaseUrl: string, env: NodeJS.ProcessEnv) {
    this.env = { LOG_LEVEL: 'info', ...env, DATABASE_URL: databaseUrl };
  }

  /**
   * `apis` api processes, each on a free port, and `workers` workers, started together as a
   * deployment starts them (each api tries to create the first admin; one does). Answers the
   * apis' base URLs.
   */
  async start({ apis = 0, workers = 0 }: { apis?: number; workers?: number }): Promise<string[]> {
    const ports: number[] = [];
    for (let i = 0; i < apis; i++) ports.push(await freePort());
    this.all.push(
      ...(await Promise.all([
        ...ports.map((port) => startAppProcess('api/main.js', { ...this.env, PORT: String(port) }, 'listening on')),
        ...Array.from({ length: workers }, () => startAppProcess('worker/main.js', this.env, 'worker running')),
      ])),
    );
    return ports.map((port) => `http://127.0.0.1:${port}`);
  }

  /** One more worker process, once it runs. */
  async startWorker(): Promise<AppProcess> {
    const worker = await startAppProcess('worker/main.js', this.env, 'worker running');
    this.all.push(worker);
    return worker;
  }

  /** SIGTERM to every process started, and waits until each has exited (one already gone counts as exited). */
  async stop(): Promise<void> {
    await Promise.all(
      this.all.map(async ({ child }) => {
        child.kill('SIGTERM');
        await exited(child);
      }),
    );
  }
}
