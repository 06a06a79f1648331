import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { embeddedPasswordFile } from '../libs/core/src/database/embedded-postgres';
import { embeddedStartEnv, exited, type LogLine, spawnApp, START_ADMIN } from './support/child-process';
import { freePort } from './support/ports';

/**
 * `npm start` (node dist/apps/main.js, the worker in its own process) on its embedded PostgreSQL,
 * stopped by SIGTERM while clients keep creating tasks, as a service manager stops it under
 * traffic. It used to answer one of them 500: embedded-postgres's own exit hook stopped the
 * database under the requests and reactions still running, the log had no `stopped` line and the
 * exit code was 143.
 */

const BEAK = START_ADMIN.beak;
const CLIENTS = 6;

/** What one request got: an answer (its status and body), or its connection closed before any answer began, or an answer cut off half-way. */
type Outcome =
  | { kind: 'answer'; status: number; body: string; connection: string | undefined }
  | { kind: 'closed before answer'; code: string }
  | { kind: 'answer cut'; status: number; code: string };

/** One POST on `agent` (keep-alive, one connection per client, as a real client reuses its connection). */
function post(agent: Agent, port: number, path: string, body: unknown, token?: string): Promise<Outcome> {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.once('end', () => resolve({ kind: 'answer', status: res.statusCode!, body: text, connection: res.headers.connection }));
        res.once('aborted', () => resolve({ kind: 'answer cut', status: res.statusCode!, code: 'aborted' }));
        res.once('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'answer cut', status: res.statusCode!, code: error.code ?? error.message }));
      },
    );
    req.once('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'closed before answer', code: error.code ?? error.message }));
    req.end(payload);
  });
}

async function getJson(port: number, path: string, token: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start stopped by SIGTERM under load', () => {
  const dataDir = join(__dirname, '..', '.data', `test-shutdown-load-${process.pid}`);
  const running: Array<ReturnType<typeof spawnApp>> = [];
  afterEach(async () => {
    for (const app of running.splice(0)) {
      if (app.child.exitCode === null && app.child.signalCode === null) {
        app.child.kill('SIGTERM');
        await exited(app.child);
      }
    }
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(embeddedPasswordFile(dataDir), { force: true });
  });

  /** `npm start` on this data directory and the given ports, once it listens and its worker runs. */
  async function start(port: number, databasePort: number) {
    const env = embeddedStartEnv({ port, databasePort, dataDir });
    const app = spawnApp('main.js', env);
    running.push(app);
    await until(() => app.child.exitCode !== null || app.lines().some((line) => line.msg === 'worker running'), 'listening and the worker running', 90_000);
    expect(app.lines().map((line) => line.msg)).toContain(`listening on http://127.0.0.1:${port}`);
    return app;
  }

  async function login(port: number): Promise<string> {
    const agent = new Agent({ keepAlive: false });
    const outcome = await post(agent, port, '/auth/login', { email: 'admin@example.com', beak: BEAK });
    if (outcome.kind !== 'answer' || outcome.status !== 200) throw new Error(`login: ${JSON.stringify(outcome)}`);
    return JSON.parse(outcome.body).accessToken as string;
  }

  it('answers every request it took (2xx, never a 500) or closes its connection before an answer, stops with `stopped` and exit code 0, and keeps every acknowledged task', async () => {
    const [port, databasePort] = [await freePort(), await freePort()];
    const app = await start(port, databasePort);
    const token = await login(port);
    // A task needs a worker to be assigned to: one registers, and the tasks context sees them shortly.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const registered = await post(agent, port, '/auth/register', { name: 'Worker One', email: 'worker@example.com', beak: { ...BEAK, length: 3.3 } });
    expect(registered).toMatchObject({ kind: 'answer', status: 201 });
    let first: Outcome | undefined;
    await until(async () => {
      first = await post(agent, port, '/tasks', { title: 'first', description: 'before the load' }, token);
      return first.kind === 'answer' && first.status === 201;
    }, 'a task to be created');
    agent.destroy();

    // CLIENTS clients, each on a keep-alive connection of its own, create tasks one after another.
    let signalled = false;
    let signalledAt = 0;
    const outcomes: Outcome[] = [];
    const afterSignal: Outcome[] = [];
    const client = async (n: number) => {
      const own = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; ; i++) {
          const sentAfterSignal = signalled;
          const outcome = await post(own, port, '/tasks', { title: `load ${n}.${i}`, description: 'created under load' }, token);
          outcomes.push(outcome);
          if (sentAfterSignal) afterSignal.push(outcome);
          // The server is going: its connections close and new ones are refused.
          if (outcome.kind !== 'answer') return;
          if (signalledAt && Date.now() - signalledAt > 60_000) throw new Error('the server still answers a minute after SIGTERM');
        }
      } finally {
        own.destroy();
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, n) => client(n).then(() => 'done', (error: Error) => error.message));
    await until(() => outcomes.filter((o) => o.kind === 'answer').length >= 60, '60 tasks created under load', 60_000);
    signalled = true;
    signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const code = await Promise.race([exited(app.child), new Promise((resolve) => setTimeout(() => resolve('still running 90 s after SIGTERM'), 90_000))]);
    // Each client ends once the server has gone (it does not keep answering over kept-alive connections).
    expect(await Promise.all(clients)).toEqual(Array(CLIENTS).fill('done'));

    const answers = outcomes.filter((o): o is Extract<Outcome, { kind: 'answer' }> => o.kind === 'answer');
    // Never a 500, nor any other failure: every request it took was answered, and created its task.
    expect(answers.filter((o) => o.status !== 201)).toEqual([]);
    // The requests in flight at the signal were answered, each closing its connection after it.
    expect(answers.filter((o) => o.connection === 'close').length).toBeGreaterThan(0);
    // No answer was cut half-way; a request either got its whole answer or none at all.
    expect(outcomes.filter((o) => o.kind === 'answer cut')).toEqual([]);
    // Every client ended at a closed connection (or a refused one) once the server went, and not before.
    expect(outcomes.filter((o) => o.kind === 'closed before answer')).toHaveLength(CLIENTS);
    expect(afterSignal.length).toBeGreaterThanOrEqual(CLIENTS);
    expect(code).toBe(0);

    const lines: LogLine[] = app.lines();
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.filter((line) => /failed|terminating connection/i.test(line.msg))).toEqual([]);
    // The worker process finished too (its own `stopped`), then the api, last.
    const stopped = lines.filter((line) => line.msg === 'stopped');
    expect(new Set(stopped.map((line) => line.pid)).size).toBe(2);
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped', pid: app.child.pid });

    // Started again on the same data: every task it acknowledged is there.
    const acknowledged = [first!, ...answers].map((o) => JSON.parse((o as { body: string }).body) as { taskId: string; position: string });
    // The latest of them (positions are opaque strings of one width: they sort as they were written).
    const last = acknowledged.map((a) => a.position).reduce((a, b) => (a > b ? a : b));
    const again = await start(port, databasePort);
    const token2 = await login(port);
    const found = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await getJson(port, `/tasks?after=${encodeURIComponent(last)}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token2);
      expect(page.status).toBe(200);
      for (const task of page.body.items) found.add(task.taskId);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(acknowledged.filter((a) => !found.has(a.taskId))).toEqual([]);

    again.child.kill('SIGTERM');
    expect(await exited(again.child)).toBe(0);
    expect(again.lines().at(-1)?.msg).toBe('stopped');
  }, 240_000);
});
