import type { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import type { Logger } from 'pino';
import type { PlatformConfig } from '../config/config';

/** What a CLI command receives: parsed arguments and, when it asked for modules, a Nest context. */
export interface CliContext {
  /** Positional arguments after the command name. */
  args: string[];
  /** `--name value` and `--flag` options. */
  options: Record<string, string | true>;
  config: PlatformConfig;
  logger: Logger;
  /** Migrations this run applied (start-up migrates before any command runs). */
  migrationsApplied: string[];
  /** The platform (PlatformModule) plus the modules the command listed in `modules`. */
  app: INestApplicationContext;
  /** Writes one line to stdout. */
  print(line: string): void;
}

/**
 * One `npm run cli -- <name> ...` command: the platform's own (apps/cli), or a context's, listed in
 * its definition's `cliCommands`. A context's command gets that context's settings, and no other's.
 */
export interface CliCommand {
  name: string;
  usage: string;
  description: string;
  /** Nest modules the command needs besides PlatformModule (for example a context's module). */
  modules?: ModuleMetadata['imports'];
  /** Resolves to the process exit code (0 when omitted). */
  run(context: CliContext): Promise<number | void>;
}

/** A command line mistake: printed as one line with the usage, exit code 2. */
export class CliUsageError extends Error {}
