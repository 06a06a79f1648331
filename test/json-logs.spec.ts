import { spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { exited } from './support/child-process';
import { freePort } from './support/ports';
import { TcpProxy } from './support/tcp-proxy';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Every line `npm start` (node dist/apps/main.js: the api, and the worker in its own process)
 * writes on stdout is one JSON object with each key once, through a start, load, an outage of
 * its database and a stop. knex used to print `Connection Error:` and `Acquire connection error:`
 * with stack traces as plain text, lease lines carried `pid` twice (the process's and a
 * PostgreSQL backend's), and Nest printed a `Mapped {…} route` line per route at info.
 */

const BEAK = { length: 4.2, depth: 1.5, width: 1.1, curvature: 0.3 };

/**
 * The keys of every object in a JSON text that appear twice in it (JSON.parse keeps the last one
 * silently, so the text itself is read): `['pid']` for `{"pid":1,"pid":2}`.
 */
function duplicateKeys(text: string): string[] {
  const duplicates: string[] = [];
  const stack: Array<{ keys: Set<string>; expectKey: boolean } | null> = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (top?.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) duplicates.push(key);
        top.keys.add(key);
        top.expectKey = false;
      }
      i = end;
    } else if (char === '{') stack.push({ keys: new Set(), expectKey: true });
    else if (char === '[') stack.push(null);
    else if (char === '}' || char === ']') stack.pop();
    else if (char === ',') {
      const top = stack.at(-1);
      if (top) top.expectKey = true;
    }
  }
  return duplicates;
}

describe('the log of npm start', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  beforeAll(async () => {
    database = await createTestDatabase('json_logs');
    const url = new URL(database.url);
    proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
  });
  afterAll(async () => {
    await proxy.stop();
    await database.drop();
  });

  it('finds the duplicate keys of a JSON text, at any depth, and only those', () => {
    expect(duplicateKeys('{"pid":1,"a":{"pid":2},"pid":3}')).toEqual(['pid']);
    expect(duplicateKeys('{"a":[{"b":1},{"b":2}],"c":"\\"c\\":","d":{"e":1,"e":2}}')).toEqual(['e']);
    expect(duplicateKeys('{"msg":"a, \\"msg\\": b","x":["msg","msg"]}')).toEqual([]);
  });

  it('is one JSON object a line, each key once, through a start, load, a database outage and a stop; it listens on 127.0.0.1 and says so', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: proxy.rewrite(database.url),
      PORT: String(port),
      // Debug: Nest's route lines must be there, at debug.
      LOG_LEVEL: 'debug',
      BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
      BOOTSTRAP_ADMIN_BEAK: JSON.stringify(BEAK),
      BEAK_HASH_COST: '1024',
    };
    delete env.HOST;
    const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'apps', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', () => undefined);
    const parsed = () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; msg: string; [key: string]: unknown });
    const until = async (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000) => {
      for (const started = Date.now(); !(await condition()); await new Promise((resolve) => setTimeout(resolve, 100))) {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} waiting for ${what}`);
        if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      }
    };
    try {
      await until(() => parsed().some((line) => line.msg === 'worker running'), 'the worker');
      const base = `http://127.0.0.1:${port}`;
      const call = (path: string, init: RequestInit = {}, token?: string) =>
        fetch(`${base}${path}`, {
          ...init,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as object) },
        }).catch((error: Error) => ({ status: 0, error, json: async () => ({}) }) as unknown as Response);

      // Some load: a user, tasks, a bad request, an unknown route.
      const login = (await (await call('/auth/login', { method: 'POST', body: JSON.stringify({ email: 'admin@example.com', beak: BEAK }) })).json()) as { accessToken: string };
      const token = login.accessToken;
      const registered = (await call('/auth/register', { method: 'POST', body: JSON.stringify({ name: 'Worker', email: 'w@example.com', beak: { ...BEAK, length: 3.1 } }) })) as Response & { error?: Error };
      // A network error shows itself and its cause (it failed so once in CI, unexplained).
      expect({ status: registered.status, error: registered.error ? `${registered.error.message}: ${String(registered.error.cause)}` : null }).toEqual({ status: 201, error: null });
      await until(async () => (await call('/tasks', { method: 'POST', body: JSON.stringify({ title: 'first', description: 'x' }) }, token)).status === 201, 'a task');
      await Promise.all(
        Array.from({ length: 4 }, async (_, n) => {
          for (let i = 0; i < 10; i++) await call('/tasks', { method: 'POST', body: JSON.stringify({ title: `t ${n}.${i}`, description: 'load' }) }, token);
        }),
      );
      expect((await call('/tasks', { method: 'POST', body: JSON.stringify({ title: 'bad [title]', description: 'x' }) }, token)).status).toBe(400);
      expect((await call('/no-such-route')).status).toBe(404);

      // The database goes away for a while (connections reset, new ones refused): knex, the pools
      // and the leases all complain, then come back.
      await proxy.cut();
      for (let i = 0; i < 5; i++) {
        await call('/tasks?limit=5', {}, token);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      await proxy.restore();
      await until(async () => (await call('/tasks', { method: 'POST', body: JSON.stringify({ title: 'after', description: 'the outage' }) }, token)).status === 201, 'a task after the outage', 60_000);

      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }

    // Every line: one JSON object, each key once.
    const lines = stdout.split('\n').filter((line) => line !== '');
    const notJson = lines.filter((line) => {
      try {
        const value = JSON.parse(line);
        return typeof value !== 'object' || value === null || Array.isArray(value);
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    expect(lines.filter((line) => duplicateKeys(line).length > 0)).toEqual([]);
    const logged = parsed();
    expect(logged.at(-1)?.msg).toBe('stopped');

    // knex's complaints are JSON lines of their own, the stack in a field.
    const knex = logged.filter((line) => line.component === 'knex');
    expect(knex.some((line) => /^Acquire connection error: /.test(line.msg) && typeof line.stack === 'string' && /\n\s+at /.test(line.stack))).toBe(true);
    expect(knex.every((line) => !line.msg.includes('\n'))).toBe(true);
    // The lease lines name the PostgreSQL backend apart from the process.
    const leases = logged.filter((line) => / lease taken$/.test(line.msg));
    expect(leases.length).toBeGreaterThan(0);
    expect(leases.every((line) => typeof line.backendPid === 'number' && line.backendPid !== line.pid)).toBe(true);
    // Nest's route lines are there, at debug.
    const routes = logged.filter((line) => line.msg.startsWith('Mapped {'));
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.every((line) => line.level === 20)).toBe(true);

    // HOST unset: it says it listens on 127.0.0.1 (the next test checks that it does).
    expect(logged.map((line) => line.msg)).toContain(`listening on http://127.0.0.1:${port}`);
  }, 180_000);

  it('listens only on 127.0.0.1 unless HOST says otherwise', async () => {
    const other = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
    const port = await freePort();
    const start = (host?: string) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'info' };
      delete env.HOST;
      if (host) env.HOST = host;
      const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'apps', 'api', 'main.js')], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      return { child, out: () => out };
    };
    const reachable = (address: string) =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, address, () => {
          socket.destroy();
          resolve(true);
        }).once('error', () => resolve(false));
      });
    for (const [host, url, outside] of [
      [undefined, `http://127.0.0.1:${port}`, false],
      ['0.0.0.0', `http://0.0.0.0:${port}`, true],
    ] as const) {
      const app = start(host);
      try {
        for (const started = Date.now(); !app.out().includes('listening on'); await new Promise((resolve) => setTimeout(resolve, 100))) {
          if (app.child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`the api did not start: ${app.out()}`);
        }
        expect(app.out()).toContain(`"msg":"listening on ${url}"`);
        expect(await reachable('127.0.0.1')).toBe(true);
        if (other) expect(await reachable(other)).toBe(outside);
        app.child.kill('SIGTERM');
        expect(await exited(app.child)).toBe(0);
      } finally {
        if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
      }
    }
  }, 120_000);
});
