import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createKnex, migrateToLatest } from '@app/core/database/migrations';
import { bearer, startPlatform, Staff } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

/**
 * deploy/ cannot run here (no Docker engine), so this checks what can be checked without one: the
 * dashboard and the alerts query metrics a running platform exports (with the labels they use),
 * the compose file runs every part with settings the app knows, .env.example lists exactly the
 * README's settings, the image is multi-stage, non-root and production, and the guide's database
 * roles are enough to migrate and run the platform.
 */

// js-yaml is installed as a dependency of @nestjs/swagger (a runtime dependency); it has no types here.
const yaml: { load(text: string): unknown } = require('js-yaml');

const root = join(__dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const readYaml = <T>(path: string) => yaml.load(read(path)) as T;

// ---------------------------------------------------------------------------------------------
// The README's configuration table

/** Each setting of README.md's Configuration table, with its default (`undefined`: unset or computed). */
function readmeSettings(): Map<string, string | undefined> {
  const readme = read('README.md');
  const start = readme.indexOf('\n## Configuration');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const settings = new Map<string, string | undefined>();
  for (const line of section.split('\n')) {
    if (!/^\|\s*`/.test(line)) continue;
    const [names, defaults] = line
      .split('|')
      .slice(1, 3)
      .map((cell) => [...cell.matchAll(/`([^`]*)`/g)].map((match) => match[1]));
    if (names.length > 1 && defaults.length > 0 && defaults.length !== names.length) {
      throw new Error(`README row with ${names.length} settings and ${defaults.length} defaults: ${line}`);
    }
    names.forEach((name, i) => settings.set(name, names.length === 1 ? defaults[0] : defaults[i]));
  }
  return settings;
}

// ---------------------------------------------------------------------------------------------
// PromQL

const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);
/** Labels Prometheus adds to every scraped series, and the bucket bound of histograms. */
const SCRAPE_LABELS = new Set(['job', 'instance', 'le']);
/** Series Prometheus makes itself, not the app. */
const PROMETHEUS_SERIES = new Set(['up']);

interface PromqlUse {
  /** Each selector's metric name and the labels its matchers name. */
  selectors: Array<{ name: string; labels: string[] }>;
  /** Labels named by `by (...)`, `without (...)`, `on (...)` and `ignoring (...)`. */
  grouping: string[];
}

/** What a PromQL expression reads: metric names (not functions, keywords or labels) and label names. */
function promqlUse(expression: string): PromqlUse {
  const grouping: string[] = [];
  let text = expression.replace(/\$\{?\w+\}?/g, ''); // Grafana variables ($__rate_interval)
  text = text.replace(/\[[^\]]*\]/g, ' '); // range selectors
  text = text.replace(/\boffset\s+\S+/g, ' ');
  text = text.replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, labels: string) => {
    grouping.push(...labels.split(',').map((label) => label.trim()).filter(Boolean));
    return ' ';
  });
  const selectors: PromqlUse['selectors'] = [];
  const tokens = [...text.matchAll(/"(?:[^"\\]|\\.)*"|\{[^}]*\}|[A-Za-z_:][A-Za-z0-9_:]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?|\S/g)].map((m) => m[0]);
  tokens.forEach((token, i) => {
    if (!/^[A-Za-z_:]/.test(token) || PROMQL_KEYWORDS.has(token) || tokens[i + 1] === '(') return;
    const matchers = tokens[i + 1]?.startsWith('{') ? tokens[i + 1] : '';
    selectors.push({ name: token, labels: [...matchers.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]) });
  });
  return { selectors, grouping };
}

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr: string; datasource?: { uid: string } }>;
}
const dashboard = () => JSON.parse(read('deploy/grafana/platform.json')) as { uid: string; panels: Panel[] };
type Rule = { alert: string; expr: string; for?: string };
const alertRules = () => readYaml<{ groups: Array<{ rules: Rule[] }> }>('deploy/prometheus/alerts.yaml').groups.flatMap((group) => group.rules);

/** Every PromQL expression of the dashboard and the alert rules, with where it is. */
function expressions(): Array<{ where: string; expr: string }> {
  const panels = dashboard().panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `dashboard panel "${panel.title}"`, expr: target.expr })));
  const rules = alertRules().map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr }));
  return [...panels, ...rules];
}

// ---------------------------------------------------------------------------------------------
// The compose file

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = () => readYaml<{ services: Record<string, Service>; secrets?: Record<string, unknown> }>('deploy/compose.yaml');
/** The services that run this repository's image (api, worker, migrate). */
const platformServices = (services: Record<string, Service>) =>
  Object.entries(services).filter(([, service]) => service.build?.dockerfile === 'deploy/Dockerfile');
const runs = (service: Service, main: string) => service.command?.join(' ') === `node dist/apps/${main}/main.js`;

// ---------------------------------------------------------------------------------------------

describe('deploy/: the files an operator runs', () => {
  describe('PromQL names (the reader the metrics test relies on)', () => {
    it('reads metric names and labels, not functions, keywords, labels of grouping or Grafana variables', () => {
      expect(
        promqlUse('histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{status=~"5..", method!="GET"}[$__rate_interval]))) or vector(0)'),
      ).toEqual({ selectors: [{ name: 'http_request_duration_seconds_bucket', labels: ['status', 'method'] }], grouping: ['le', 'route'] });
      expect(promqlUse('sum(rate(a_total[5m])) / sum(rate(b_total[5m])) > 0.01').selectors.map((s) => s.name)).toEqual(['a_total', 'b_total']);
      expect(promqlUse('max by (projection) (projection_halted) == 1 and on (projection) up == 1')).toEqual({
        selectors: [
          { name: 'projection_halted', labels: [] },
          { name: 'up', labels: [] },
        ],
        grouping: ['projection', 'projection'],
      });
    });
  });

  describe('deploy/Dockerfile', () => {
    /** Its instructions, comments dropped and continued lines joined. */
    const dockerfile = read('deploy/Dockerfile')
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .join('\n')
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const stages = dockerfile.map((line, i) => ({ line, i })).filter(({ line }) => /^FROM\s/i.test(line));
    const last = dockerfile.slice(stages.at(-1)!.i);

    it('is multi-stage: the image that runs is built from the earlier stages, not from the sources', () => {
      expect(stages.length).toBeGreaterThanOrEqual(2);
      for (const { line } of stages) expect(line).toMatch(/\sAS\s+\w+/i);
      expect(last.some((line) => /^COPY\s+--from=build\s/.test(line))).toBe(true);
      // The final stage does not install or build anything from the sources itself.
      expect(last.some((line) => /^COPY\s+(?!--from)/.test(line))).toBe(false);
      expect(last.some((line) => /npm (ci|install|run)/.test(line))).toBe(false);
    });

    it('runs as a user that is not root, with NODE_ENV=production and HOST=0.0.0.0, node itself as the command', () => {
      const users = last.filter((line) => /^USER\s/i.test(line)).map((line) => line.split(/\s+/)[1]);
      expect(users.length).toBeGreaterThan(0);
      expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
      const env = last.filter((line) => /^ENV\s/i.test(line)).join(' ');
      expect(env).toMatch(/\bNODE_ENV=production\b/);
      expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
      expect(last.find((line) => /^CMD\s/.test(line))).toBe('CMD ["node", "dist/apps/api/main.js"]');
    });

    it('never sends local data, secrets, installed modules or local builds into the image', () => {
      const ignored = read('deploy/Dockerfile.dockerignore').split('\n').map((line) => line.trim());
      expect(ignored).toEqual(expect.arrayContaining(['.data', '.env', 'node_modules', 'dist', '.git']));
    });
  });

  describe('deploy/compose.yaml', () => {
    const { services, secrets } = compose();

    it('runs PostgreSQL, KurrentDB, a proxy, two apis, two workers, Prometheus and Grafana', () => {
      expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'kurrentdb', 'proxy', 'prometheus', 'grafana']));
      const platform = platformServices(services);
      expect(platform.filter(([, service]) => runs(service, 'api')).map(([name]) => name)).toEqual(['api-1', 'api-2']);
      expect(platform.filter(([, service]) => runs(service, 'worker')).map(([name]) => name)).toEqual(['worker-1', 'worker-2']);
      for (const [, service] of platform) expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
    });

    it('sets only settings of the README configuration table in the platform services', () => {
      const settings = readmeSettings();
      const unknown = platformServices(services).flatMap(([name, service]) =>
        Object.keys(service.environment ?? {})
          .filter((variable) => !settings.has(variable))
          .map((variable) => `${name}: ${variable}`),
      );
      expect(unknown).toEqual([]);
    });

    it('points the platform at its PostgreSQL and KurrentDB, with secrets from the environment, never written in the file', () => {
      for (const [, service] of platformServices(services)) {
        const env = service.environment!;
        const database = new URL(env.DATABASE_URL.replace(/\$\{[^}]*\}/, 'x'));
        expect(database.host).toBe('postgres:5432');
        // The password is interpolated from deploy/.env, not written here.
        expect(database.password).toBe('x');
        expect(env.EVENT_STORE).toBe('eventstoredb');
        expect(env.EVENTSTORE_CONNECTION_STRING).toMatch(/^esdb:\/\/kurrentdb:2113\b/);
        expect(env.HOST).toBe('0.0.0.0');
        for (const secret of ['JWT_SECRET', 'TICKETING_MASTER_KEY', 'METRICS_TOKEN']) expect(env[secret]).toMatch(/^\$\{[A-Z_]+:\?[^}]*\}$/);
      }
      expect(secrets).toHaveProperty('metrics_token');
    });

    it('has Prometheus scrape every api and worker on the port it listens on, and the proxy send to every api', () => {
      const platform = platformServices(services);
      const targets = (names: string[], port: (env: Record<string, string>) => string) =>
        platform.filter(([name]) => names.includes(name)).map(([name, service]) => `${name}:${port(service.environment!)}`);
      const apis = platform.filter(([, service]) => runs(service, 'api')).map(([name]) => name);
      const workers = platform.filter(([, service]) => runs(service, 'worker')).map(([name]) => name);
      const prometheus = readYaml<{ rule_files: string[]; scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }>; authorization?: { credentials_file: string } }> }>(
        'deploy/prometheus/prometheus.yml',
      );
      const job = (name: string) => prometheus.scrape_configs.find((config) => config.job_name === name)!;
      expect(job('api').static_configs.flatMap((config) => config.targets)).toEqual(targets(apis, (env) => env.PORT ?? '3000'));
      expect(job('worker').static_configs.flatMap((config) => config.targets)).toEqual(targets(workers, (env) => env.WORKER_PORT ?? '3001'));
      for (const name of ['api', 'worker']) expect(job(name).authorization?.credentials_file).toBe('/run/secrets/metrics_token');
      // The rules and the configuration it reads are the files in deploy/prometheus.
      const mounts = services.prometheus.volumes ?? [];
      expect(mounts).toContain('./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
      for (const file of prometheus.rule_files) expect(mounts).toContain(`./prometheus/alerts.yaml:${file}:ro`);
      const upstreams = [...read('deploy/nginx/nginx.conf').matchAll(/^\s*server\s+([\w-]+:\d+)/gm)].map((m) => m[1]);
      expect(upstreams).toEqual(targets(apis, (env) => env.PORT ?? '3000'));
    });

    it('provisions Grafana with the Prometheus data source the dashboard names, and the dashboard itself', () => {
      const mounts = services.grafana.volumes ?? [];
      expect(mounts).toContain('./grafana/provisioning:/etc/grafana/provisioning:ro');
      const provider = readYaml<{ providers: Array<{ options: { path: string } }> }>('deploy/grafana/provisioning/dashboards/platform.yaml').providers[0];
      expect(mounts).toContain(`./grafana/platform.json:${provider.options.path}/platform.json:ro`);
      const [source] = readYaml<{ datasources: Array<{ uid: string; type: string; url: string }> }>('deploy/grafana/provisioning/datasources/prometheus.yaml').datasources;
      expect(source).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
      const uids = new Set(dashboard().panels.flatMap((panel) => [panel.datasource?.uid, ...(panel.targets ?? []).map((t) => t.datasource?.uid)]).filter(Boolean));
      expect([...uids]).toEqual([source.uid]);
    });
  });

  describe('.env.example', () => {
    /** `# NAME=value` lines: every setting commented out at its default. */
    const lines = read('.env.example')
      .split('\n')
      .map((line) => /^#\s?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map(([, name, value]) => ({ name, value: value.replace(/^"(.*)"$/, '$1') }));

    it('lists exactly the settings of the README configuration table, each once', () => {
      const names = lines.map((line) => line.name);
      expect(new Set(names).size).toBe(names.length);
      expect([...names].sort()).toEqual([...readmeSettings().keys()].sort());
    });

    it('shows each at its default', () => {
      const settings = readmeSettings();
      const wrong = lines.filter(({ name, value }) => settings.has(name) && value !== (settings.get(name) ?? '')).map(({ name, value }) => `${name}=${value} (README: ${settings.get(name)})`);
      expect(wrong).toEqual([]);
    });
  });

  it('LICENSE is the MIT license package.json names, for the platform contributors', () => {
    const license = read('LICENSE');
    expect(JSON.parse(read('package.json')).license).toBe('MIT');
    expect(license.split('\n')[0]).toBe('MIT License');
    expect(license).toContain('Copyright (c) 2026 UberPopug platform contributors');
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  describe('the dashboard and the alerts ask for what an operator needs', () => {
    const uses = (names: string[]) => expressions().some(({ expr }) => promqlUse(expr).selectors.some((s) => names.includes(s.name)));

    it('the dashboard shows request rate and latency by route, command outcomes, append latency, lag, halts, reconciliation and the event loop', () => {
      const panels = dashboard().panels.filter((panel) => panel.targets?.length);
      const reading = (test: (use: PromqlUse) => boolean) => panels.filter((panel) => panel.targets!.some((target) => test(promqlUse(target.expr)))).map((panel) => panel.title);
      const names = (use: PromqlUse) => use.selectors.map((s) => s.name);
      expect(reading((use) => names(use).includes('http_request_duration_seconds_count') && use.grouping.includes('route'))).not.toHaveLength(0);
      expect(reading((use) => names(use).includes('http_request_duration_seconds_bucket') && use.grouping.includes('route'))).not.toHaveLength(0);
      expect(reading((use) => names(use).includes('commands_total') && use.grouping.includes('outcome'))).not.toHaveLength(0);
      for (const metric of [
        'eventstore_append_duration_seconds_bucket',
        'projection_lag_seconds',
        'projection_lag_events',
        'process_manager_lag_seconds',
        'process_manager_lag_events',
        'projection_halted',
        'ledger_reconciliation_differences',
        'nodejs_eventloop_lag_p99_seconds',
      ]) {
        expect({ metric, panels: reading((use) => names(use).includes(metric)).length > 0 }).toEqual({ metric, panels: true });
      }
      expect(uses(['projection_halted'])).toBe(true);
    });

    it('alerts on a halted projection, on lag above a bound for 5 minutes, on the 5xx rate and on reconciliation differences', () => {
      const rules = alertRules();
      const reading = (metric: string) => rules.filter((rule) => promqlUse(rule.expr).selectors.some((s) => s.name === metric));
      expect(reading('projection_halted').some((rule) => /==\s*1/.test(rule.expr))).toBe(true);
      for (const lag of ['projection_lag_seconds', 'process_manager_lag_seconds']) {
        expect(reading(lag).map((rule) => ({ bound: /> \d+/.test(rule.expr), for: rule.for }))).toEqual([{ bound: true, for: '5m' }]);
      }
      expect(
        reading('http_request_duration_seconds_count').some((rule) => promqlUse(rule.expr).selectors.some((s) => s.labels.includes('status')) && rule.expr.includes('"5.."')),
      ).toBe(true);
      expect(reading('ledger_reconciliation_differences').some((rule) => /> 0/.test(rule.expr))).toBe(true);
    });
  });

  /**
   * The platform as `npm start` runs it (the api and the worker in one process, so the worker's
   * metrics are in the same /metrics), on a database made by the guide's SQL and migrated and run
   * as the role it creates: what the dashboard and the alerts query must be in its /metrics.
   */
  describe('on a database made by deploy/postgres/platform-roles.sql', () => {
    const suffix = randomUUID().slice(0, 8);
    const names = { app_role: `test_deploy_app_${suffix}`, read_role: `test_deploy_read_${suffix}`, database: `test_deploy_${suffix}`, app_password: `pw-${randomUUID()}` };
    const server = () => process.env.TEST_SERVER_URL!;
    const urlFor = (role: string, password: string | null, database: string) => {
      const url = new URL(server());
      url.username = role;
      url.password = password ?? '';
      url.pathname = `/${database}`;
      return url.toString();
    };
    let app: TestApp;
    let metricsText: string;

    /** Runs the file as psql would with `-v name=value` for each of `names`: its statements, and `\connect`. */
    async function runAsPsql(sql: string): Promise<void> {
      const substitute = (text: string) =>
        text
          .replace(/:"(\w+)"/g, (_, name: keyof typeof names) => `"${names[name].replace(/"/g, '""')}"`)
          .replace(/:'(\w+)'/g, (_, name: keyof typeof names) => `'${names[name].replace(/'/g, "''")}'`)
          .replace(/:(\w+)/g, (_, name: keyof typeof names) => names[name]);
      let client = new Client({ connectionString: server() });
      await client.connect();
      try {
        let statement = '';
        for (const line of sql.split('\n')) {
          if (/^\s*--/.test(line) || !line.trim()) continue;
          const connect = /^\\connect\s+(.+)$/.exec(line.trim());
          if (connect) {
            await client.end();
            const url = new URL(server());
            url.pathname = `/${substitute(connect[1])}`;
            client = new Client({ connectionString: url.toString() });
            await client.connect();
            continue;
          }
          statement += `${line}\n`;
          if (line.trimEnd().endsWith(';')) {
            await client.query(substitute(statement));
            statement = '';
          }
        }
        expect(statement).toBe('');
      } finally {
        await client.end();
      }
    }

    beforeAll(async () => {
      await runAsPsql(read('deploy/postgres/platform-roles.sql'));
      const url = urlFor(names.app_role, names.app_password, names.database);
      // What every process does first at start-up (prepareDatabase), as the guide's role.
      const knex = createKnex(url, 1);
      try {
        await migrateToLatest(knex);
      } finally {
        await knex.destroy();
      }
      app = await startPlatform({
        database: { url, name: names.database, drop: async () => undefined },
        env: { METRICS_TOKEN: 'deploy-metrics' },
      });
      const http = app.http;
      await http.get('/health').expect(200);
      const staff = await Staff.of(http);
      const manager = await staff.hire('manager');
      await staff.hire('worker');
      const created = await http.post('/tasks').set(bearer(manager)).send({ title: 'deploy check', description: 'metrics' }).expect(201);
      await http.get(`/tasks/${created.body.taskId}`).query({ after: created.body.position }).set(bearer(manager)).expect(200);
      await http.get('/projections').set(bearer(staff.admin)).expect(200);
      // The process managers have handled what the commands wrote (so their series carry labels).
      await eventually(async () => {
        const managers = (await http.get('/process-managers').set(bearer(staff.admin)).expect(200)).body as Array<{ lagEvents: number }>;
        return managers.length > 0 && managers.every((m) => m.lagEvents === 0);
      });
      metricsText = (await http.get('/metrics').set('Authorization', 'Bearer deploy-metrics').expect(200)).text;
    });

    afterAll(async () => {
      await app?.close();
      const admin = new Client({ connectionString: server() });
      await admin.connect();
      try {
        await admin.query(`drop database if exists "${names.database}" with (force)`);
        await admin.query(`drop role if exists "${names.read_role}"`);
        await admin.query(`drop role if exists "${names.app_role}"`);
      } finally {
        await admin.end();
      }
    });

    /** Every series name of the scrape, with the label names it has. */
    function exported(): Map<string, Set<string>> {
      const series = new Map<string, Set<string>>();
      for (const line of metricsText.split('\n')) {
        const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+\S+/.exec(line);
        if (!match) continue;
        const labels = series.get(match[1]) ?? new Set<string>();
        for (const [, label] of (match[2] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="/g)) labels.add(label);
        series.set(match[1], labels);
      }
      return series;
    }

    it('every metric the dashboard and the alerts query is in /metrics', () => {
      const series = exported();
      expect(series.size).toBeGreaterThan(20);
      const missing = expressions().flatMap(({ where, expr }) =>
        promqlUse(expr)
          .selectors.filter(({ name }) => !PROMETHEUS_SERIES.has(name) && !series.has(name))
          .map(({ name }) => `${where}: ${name}`),
      );
      expect(missing).toEqual([]);
    });

    it('every label they match on or group by is a label of the metrics they read', () => {
      const series = exported();
      const wrong = expressions().flatMap(({ where, expr }) => {
        const use = promqlUse(expr);
        const own = use.selectors.filter(({ name }) => !PROMETHEUS_SERIES.has(name));
        const labelsOf = new Set(own.flatMap(({ name }) => [...(series.get(name) ?? [])]));
        const matched = own.flatMap(({ name, labels }) => labels.filter((label) => !SCRAPE_LABELS.has(label) && !series.get(name)?.has(label)).map((label) => `${where}: ${name}{${label}}`));
        const grouped = own.length === 0 ? [] : use.grouping.filter((label) => !SCRAPE_LABELS.has(label) && !labelsOf.has(label)).map((label) => `${where}: by (${label})`);
        return [...matched, ...grouped];
      });
      expect(wrong).toEqual([]);
    });

    it('the guide’s role migrates and runs the platform without being a superuser; the read role reads and cannot write', async () => {
      const asApp = new Client({ connectionString: urlFor(names.app_role, names.app_password, names.database) });
      await asApp.connect();
      try {
        const { rows } = await asApp.query('select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user');
        expect(rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
        const owners = await asApp.query(`select distinct tableowner from pg_tables where schemaname = 'public'`);
        expect(owners.rows).toEqual([{ tableowner: names.app_role }]);
        const views = await asApp.query(`select count(*)::int as n from pg_views where schemaname = 'public' and viewowner = current_user`);
        expect(views.rows[0].n).toBeGreaterThan(0);
      } finally {
        await asApp.end();
      }
      // The read role (NOLOGIN) through a session that takes it on, as a person's role granted it would.
      const admin = new Client({ connectionString: urlFor(new URL(server()).username || 'postgres', new URL(server()).password || null, names.database) });
      await admin.connect();
      try {
        await admin.query('begin');
        await admin.query(`set local role "${names.read_role}"`);
        const board = await admin.query('select count(*)::int as n from task_board');
        expect(board.rows[0].n).toBeGreaterThanOrEqual(1);
        await expect(admin.query('delete from es_events')).rejects.toMatchObject({ code: '42501' });
        await admin.query('rollback');
      } finally {
        await admin.end();
      }
    });
  });
});
