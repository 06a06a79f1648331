import 'reflect-metadata';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ContextDefinition, createLogger, loadConfig, loadContextConfigs, PinoNestLogger, PlatformModule, prepareDatabase } from '@app/core';
import { type CliCommand, type CliContext, CliUsageError } from '@app/core';
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
];

export interface CliPlatform {
  /** The contexts whose projections, event schemas and CLI commands it has. */
  contexts: readonly ContextDefinition[];
  /** The platform's own commands; each context's `cliCommands` come on top. */
  commands: CliCommand[];
}

class CliModule {}

function usage(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return ['Usage: npm run cli -- <command> [arguments]', '', ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.description}`)].join('\n');
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
  // Logs go to stderr at warn level so a command's own output stays clean to read or pipe.
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const config = loadConfig();
  // Only the settings of the context whose command this is: a bad one of another context does not stop `migrate`.
  const owner = contexts.filter((context) => context.cliCommands.includes(command));
  const contextConfigs = loadContextConfigs(owner, process.env, config);
  const database = await prepareDatabase(config, logger);
  let app: INestApplicationContext | undefined;
  try {
    const root: DynamicModule = {
      module: CliModule,
      imports: [PlatformModule.forRoot({ config, databaseUrl: database.url, logger, contexts, contextConfigs }), ...(command.modules ?? [])],
    };
    app = await NestFactory.createApplicationContext(root, { logger: new PinoNestLogger(logger), abortOnError: false });
    const context: CliContext = {
      ...parseArguments(rest),
      config,
      logger,
      migrationsApplied: database.migrationsApplied,
      app,
      print: (line) => process.stdout.write(`${line}\n`),
    };
    return (await command.run(context)) ?? 0;
  } catch (error) {
    if (error instanceof CliUsageError) {
      process.stderr.write(`${error.message}\nUsage: npm run cli -- ${command.usage}\n`);
      return 2;
    }
    throw error;
  } finally {
    await app?.close();
    await database.stop();
  }
}

/** Runs the CLI for this process's arguments and exits with its code; errors are one line, no stack. */
export function cliMain(platform: CliPlatform): void {
  runCli(process.argv.slice(2), platform).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
