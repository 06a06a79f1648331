import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { BENCH_ADMIN } from './http-client';

export interface RunningProduct {
  baseUrl: string;
  pid: number;
  /** Where the product's JSON log lines went. */
  logFile: string;
  /** SIGTERM, then waits for the process to finish its shutdown. */
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

export interface ProductOptions {
  /**
   * The checkout whose build runs (its dist/apps/main.js, from its own directory): this one by
   * default; another lets one benchmark compare builds of two commits side by side.
   */
  root?: string;
  /**
   * Its port, and so its log file (.data/bench/product-<port>.log): one of its own for each of
   * several products run side by side. Default BENCH_PRODUCT_PORT, else a free one logging to product.log.
   */
  port?: number;
}

/** A build of the product a benchmark runs: a checkout, its commit, and settings of its own. */
export interface ProductBuild {
  label: string;
  root: string;
  commit: string;
  /** Settings this build runs with besides the benchmark's (`;NAME=value` in BENCH_PRODUCTS). */
  env: Record<string, string>;
}

/**
 * BENCH_PRODUCTS: the builds to compare, `label=checkout` separated by commas, each optionally
 * followed by `;NAME=value` settings of its own (`fastify=.;HTTP_ADAPTER=fastify`); default this
 * checkout as "now".
 */
export function productBuilds(): ProductBuild[] {
  const raw = process.env.BENCH_PRODUCTS || `now=${ROOT}`;
  return raw.split(',').map((part) => {
    const [build, ...settings] = part.split(';').map((text) => text.trim());
    const [label, root] = build.split('=').map((text) => text.trim());
    const env = Object.fromEntries(settings.map((setting) => [setting.slice(0, setting.indexOf('=')), setting.slice(setting.indexOf('=') + 1)]));
    if (!label || !root || settings.some((setting) => setting.indexOf('=') < 1)) {
      throw new Error(`BENCH_PRODUCTS must be label=checkout[;NAME=value...] separated by commas, not "${raw}"`);
    }
    const absolute = resolve(ROOT, root);
    return { label, root: absolute, commit: commitOf(absolute), env };
  });
}

/** The commit a checkout is at, or "?" when it is not a git checkout. */
function commitOf(root: string): string {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

/**
 * Starts `npm start`'s entry point (dist/apps/main.js: the api, which starts the worker as its child process) as a process
 * of its own, on `options.port` (else BENCH_PRODUCT_PORT, else a free one), against `databaseUrl`, and waits until
 * /health answers 200. Its stdout (one JSON line per request) goes to a file, as it would in
 * production, not to /dev/null.
 */
export async function startProduct(databaseUrl: string, env: NodeJS.ProcessEnv, options: ProductOptions = {}): Promise<RunningProduct> {
  const root = options.root ?? ROOT;
  const chosen = options.port ?? (process.env.BENCH_PRODUCT_PORT ? Number(process.env.BENCH_PRODUCT_PORT) : undefined);
  const port = chosen ?? (await freePort());
  const logDir = join(ROOT, '.data', 'bench');
  mkdirSync(logDir, { recursive: true });
  // One file per port, rewritten by each run: the log of a load run is hundreds of megabytes.
  const logFile = join(logDir, chosen !== undefined ? `product-${port}.log` : 'product.log');
  return startServerProcess({
    what: 'the product',
    args: [...(process.env.BENCH_PRODUCT_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []), join(root, 'dist', 'apps', 'main.js')],
    cwd: root,
    env: { ...process.env, ...env, DATABASE_URL: databaseUrl, PORT: String(port) },
    port,
    logFile,
    healthTimeoutMs: 120_000,
    stopTimeoutMs: 20_000,
  });
}

/** What starting a benchmark's server process takes: node's arguments, its settings, its port and log. */
export interface ServerProcessOptions {
  /** For messages: "the product", "the Emmett peer". */
  what: string;
  args: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  port: number;
  logFile: string;
  healthTimeoutMs: number;
  /** How long a stop waits after SIGTERM before SIGKILL. */
  stopTimeoutMs: number;
}

/**
 * A node process of its own (so its CPU is read from /proc apart from the benchmark's), its stdout
 * and stderr to `logFile`, killed should the benchmark end first; resolves once its /health
 * answers 200.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<RunningProduct> {
  const { what, logFile } = options;
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const baseUrl = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHealth(what, baseUrl, child, options.healthTimeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; see ${logFile}`);
  }
  return {
    baseUrl,
    pid: child.pid!,
    logFile,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * startProduct with the benches' admin (BENCH_ADMIN) bootstrapped and `env` besides, saying on
 * the console that it starts, and then its pid, URL and log file.
 */
export async function startBenchProduct(databaseUrl: string, env: NodeJS.ProcessEnv = {}, options: ProductOptions = {}): Promise<RunningProduct> {
  console.log('starting the product (the api, and the worker as its child process)...');
  const product = await startProduct(
    databaseUrl,
    { BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email, BOOTSTRAP_ADMIN_BEAK: JSON.stringify(BENCH_ADMIN.beak), BOOTSTRAP_ADMIN_NAME: 'Bench admin', ...env },
    options,
  );
  console.log(`product pid ${product.pid} at ${product.baseUrl}; its log: ${product.logFile}`);
  return product;
}

async function waitForHealth(what: string, baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} during start-up`);
    const ok = await fetch(`${baseUrl}/health`).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not answer /health within ${timeoutMs / 1000} s`);
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** USER_HZ: /proc reports CPU time in these ticks; 100 on every Linux we run on. */
const CLOCK_TICKS = 100;

/**
 * CPU time (user + system) in ms that `pid` and its child processes (`npm start`'s worker) have
 * used so far, from /proc. NaN off Linux or once `pid` is gone.
 */
export function processTreeCpuMs(pid: number): number {
  const stat = (of: string) => readFileSync(`/proc/${of}/stat`, 'utf8').split(') ')[1].split(' ');
  try {
    const own = stat(String(pid));
    let ticks = Number(own[11]) + Number(own[12]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || entry === String(pid)) continue;
      try {
        const fields = stat(entry);
        if (Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // It ended meanwhile.
      }
    }
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
