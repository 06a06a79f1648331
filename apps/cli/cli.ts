import 'reflect-metadata';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import {
  configureHttpApp,
  type ContextDefinition,
  HTTP_APP_OPTIONS,
  loadConfig,
  loadContextConfigs,
  PinoNestLogger,
  PlatformModule,
  prepareDatabase,
} from '@app/core';
import { type CliCommand, type CliContext, CliUsageError } from '@app/core';
import { demoSeed } from './commands/demo-seed';
import { migrate } from './commands/migrate';
import { processManagersSkip, processManagersStatus } from './commands/process-managers';
import { projectionsRebuild, projectionsRetry, projectionsSkip, projectionsStatus } from './commands/projections';

/** The commands every platform CLI has; contexts add their own. */
export const platformCommands: CliCommand[] = [
  migrate,
  projectionsStatus,
  projectionsRebuild,
  projectionsRetry,
  projectionsSkip,
  processManagersStatus,
  processManagersSkip,
  demoSeed,
];

/**
 * A platform command that runs the whole platform in this process (`serve(options)` true): the api
 * on a loopback port of its own, which `app` then is, and the worker, with every context's
 * settings; or (false) nothing at all, not even a database: it talks to a server of its choosing
 * (`demo:seed --url`). `serve` validates the options (a CliUsageError is a usage mistake).
 */
export interface ServingCliCommand extends CliCommand {
  serve(options: Record<string, string | true>): boolean;
}

function isServing(command: CliCommand): command is ServingCliCommand {
  return typeof (command as Partial<ServingCliCommand>).serve === 'function';
}

/** How the usage lines name the program: `popug` through the bin entry, `npm run cli --` otherwise. */
function program(): string {
  return process.env.POPUG_CLI === 'bin' ? 'popug' : 'npm run cli --';
}

export interface CliPlatform {
  /** The contexts whose projections, event schemas and CLI commands it has. */
  contexts: readonly ContextDefinition[];
  /** The platform's own commands; each context's `cliCommands` come on top. */
  commands: CliCommand[];
}

class CliModule {}

function usage(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [`Usage: ${program()} <command> [arguments]`, '', ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.description}`)].join('\n');
}

/** `--name value`, `--name=value` and `--flag`; everything else is positional. */
export function parseArguments(argv: string[]): { args: string[]; options: Record<string, string | true> } {
  const args: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      args.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (inline !== undefined) options[name] = inline;
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) options[name] = argv[++i];
    else options[name] = true;
  }
  return { args, options };
}

/** Runs one command and resolves to the process exit code. */
export async function runCli(argv: string[], platform: CliPlatform): Promise<number> {
  const { contexts } = platform;
  const commands = [...platform.commands, ...contexts.flatMap((context) => context.cliCommands)];
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help') {
    process.stdout.write(`${usage(commands)}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage(commands)}\n`);
    return 2;
  }
  // Logs go to stderr (JSON lines) at warn level so a command's own output on stdout stays clean to read or pipe.
  const logger = pino(
    { level: process.env.LOG_LEVEL ?? 'warn', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ fd: 2, sync: true }),
  );
  const parsed = parseArguments(rest);
  const print = (line: string) => void process.stdout.write(`${line}\n`);
  const usageError = (error: unknown): number => {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`${error.message}\nUsage: ${program()} ${command.usage}\n`);
    return 2;
  };
  let serving: boolean | null = null;
  try {
    serving = isServing(command) ? command.serve(parsed.options) : null;
  } catch (error) {
    return usageError(error);
  }
  const config = loadConfig();
  if (serving === false) {
    // No database, no Nest: the command talks to a server of its own choosing.
    try {
      return (await command.run({ ...parsed, config, logger, migrationsApplied: [], app: undefined as unknown as INestApplicationContext, print })) ?? 0;
    } catch (error) {
      return usageError(error);
    }
  }
  // Only the settings of the context whose command this is: a bad one of another context does not stop `migrate`.
  // A command serving the platform runs every context, and so reads every context's settings.
  const owner = serving ? contexts : contexts.filter((context) => context.cliCommands.includes(command));
  const contextConfigs = loadContextConfigs(owner, process.env, config);
  const database = await prepareDatabase(config, logger);
  let app: INestApplicationContext | undefined;
  try {
    const root: DynamicModule = {
      module: CliModule,
      imports: [PlatformModule.forRoot({ config, databaseUrl: database.url, logger, contexts, contextConfigs }), ...(command.modules ?? [])],
    };
    const options = { logger: new PinoNestLogger(logger), abortOnError: false };
    if (serving) {
      const http = await NestFactory.create<NestExpressApplication>(root, { ...options, ...HTTP_APP_OPTIONS });
      app = http;
      configureHttpApp(http);
      // Loopback only, on a port of its own: the command is its only client.
      await http.listen(0, '127.0.0.1');
    } else {
      app = await NestFactory.createApplicationContext(root, options);
    }
    const context: CliContext = { ...parsed, config, logger, migrationsApplied: database.migrationsApplied, app, print };
    return (await command.run(context)) ?? 0;
  } catch (error) {
    return usageError(error);
  } finally {
    await app?.close();
    await database.stop();
  }
}

/** Runs the CLI for this process's arguments and exits with its code; errors are one line, no stack. */
export function cliMain(platform: CliPlatform): void {
  // A reader that stops early (`| head`, `| jq` failing) closes the pipe: the rest of the output has nowhere to go, which is no error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  runCli(process.argv.slice(2), platform).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
