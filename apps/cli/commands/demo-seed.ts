import type { NestExpressApplication } from '@nestjs/platform-express';
import { type CliContext, CliUsageError } from '@app/core';
import { ApiModule } from '../../api/api.module';
import { contexts } from '../../contexts';
import { WorkerModule } from '../../worker/worker.module';
import type { ServingCliCommand } from '../cli';
import type { Beak } from '../demo/demo-data';
import { DEMO_ADMIN } from '../demo/demo-data';
import { type SeedReport, seedDemo } from '../demo/seed';

function stringOption(options: CliContext['options'], name: string): string | undefined {
  const value = options[name];
  if (value === true) throw new CliUsageError(`--${name} needs a value`);
  return value;
}

function adminOf(options: CliContext['options']): { email: string; beak: Beak } {
  const email = stringOption(options, 'admin-email');
  const beak = stringOption(options, 'admin-beak');
  if (!email && !beak) return DEMO_ADMIN;
  if (!email || !beak) throw new CliUsageError('Give both --admin-email and --admin-beak, or neither');
  try {
    return { email, beak: JSON.parse(beak) as Beak };
  } catch {
    throw new CliUsageError('--admin-beak: not JSON, such as \'{"length":4.2,"depth":1.5,"width":1.1,"curvature":0.3}\'');
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}

function describe(report: SeedReport, where: string): string[] {
  const lines: string[] = [];
  const made = Object.values(report.summary).reduce((sum, t) => sum + t.created, 0);
  lines.push(
    report.changed
      ? `Demo data seeded ${where}: ${made} things created, ${Object.values(report.summary).reduce((sum, t) => sum + t.existing, 0)} already there.`
      : `Nothing to do: the demo data is all there ${where}; nothing was changed (but the demo users' logins, recorded as sessions).`,
  );
  lines.push('');
  lines.push(
    ...table([
      ['WHAT', 'CREATED', 'ALREADY_THERE'],
      ...Object.entries(report.summary).map(([what, t]) => [what, String(t.created), String(t.existing)]),
    ]),
  );
  if (report.closedDay) lines.push('', `Billing day ${report.closedDay.date} closed: ${report.closedDay.payouts} payout(s), ${report.closedDay.total} in total.`);
  lines.push('', 'Log in with an email and its beak:', '');
  lines.push(...table([['ROLE', 'NAME', 'EMAIL', 'BEAK'], ...report.users.map((u) => [u.role, u.name, u.email, JSON.stringify(u.beak)])]));
  lines.push('', ...table([['ORDER', 'STATUS', 'DELIVERY_ADDRESS'], ...report.orders.map((o) => [o.orderId, o.status, o.deliveryAddress])]));
  if (report.notes.length > 0) lines.push('', 'Notes:', ...report.notes.map((note) => `  ${note}`));
  return lines;
}

/** Runs identity's `users:create-admin` for the demo admin: true when it made it, false when its email was taken. */
async function createDemoAdmin(context: CliContext): Promise<boolean> {
  const command = contexts.flatMap((c) => c.cliCommands).find((c) => c.name === 'users:create-admin');
  if (!command) throw new Error('identity has no users:create-admin command');
  const options = { name: DEMO_ADMIN.name, email: DEMO_ADMIN.email, beak: JSON.stringify(DEMO_ADMIN.beak) };
  try {
    await command.run({ ...context, args: [], options, print: () => undefined });
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EMAIL_TAKEN') return false;
    throw error;
  }
}

/**
 * `demo:seed`: a populated system (users of every role, tasks, a closed day, ledger, shows,
 * orders), through the platform's public HTTP API. Without `--url` it runs the whole platform in
 * this process (the api on a loopback port and the worker, on the configured database, as
 * `npm start` would) and seeds that; with `--url` it seeds a running server instead, logged in as
 * the demo admin or the admin given. Idempotent: a second run finds everything and writes nothing.
 */
export const demoSeed: ServingCliCommand = {
  name: 'demo:seed',
  usage: 'demo:seed [--json] [--url <base url> [--admin-email <email> --admin-beak <json>]]',
  description: 'Fill the platform with demo data (users of every role with their beaks, tasks, a closed day, ledger, shows, orders); a second run changes nothing',
  // The whole platform, as `npm start` runs it: the api (served on a loopback port) and the worker.
  modules: [ApiModule, WorkerModule],
  serve(options) {
    const url = stringOption(options, 'url');
    if (url === undefined) {
      if (options['admin-email'] !== undefined || options['admin-beak'] !== undefined) throw new CliUsageError('--admin-email and --admin-beak go with --url');
      return true;
    }
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new CliUsageError(`--url: "${url}" is not an http(s) URL`);
    adminOf(options);
    return false;
  },
  async run(context) {
    const { options, app, print } = context;
    const url = stringOption(options, 'url');
    const progress = process.stderr.isTTY ? (step: string) => process.stderr.write(`seeding ${step}…\n`) : undefined;
    // In this process the demo admin is made as `users:create-admin` makes one (no endpoint makes the first admin).
    const adminCreated = url ? null : await createDemoAdmin(context);
    const base = url ?? (await (app as NestExpressApplication).getUrl());
    const report = await seedDemo(base, adminOf(options), progress, adminCreated);
    if (options.json) print(JSON.stringify(report, null, 2));
    else describe(report, url ? `at ${url}` : 'in the database').forEach((line) => print(line));
  },
};
