import type { InjectionToken, Provider, Type } from '@nestjs/common';
import type { CliCommand } from '../cli/cli-command';
import type { PlatformConfig } from '../config/config';
import type { Env } from '../config/env';
import type { ErrorKind } from '../errors/domain-error';
import type { EventSchema } from '../events/event-schemas';
import type { ProcessManager } from '../process-managers/process-manager';
import type { ProjectionDefinition } from '../projections/projection';
import type { Workflow } from '../workflows/workflow';

/** A context's settings: loaded once, at launch, from the environment, and provided under `token`. */
export interface ContextConfig<Config = unknown> {
  token: InjectionToken;
  load(env: Env, platform: PlatformConfig): Config;
}

/**
 * A bounded context as the platform runs it: everything the api, the worker, the CLI and the
 * tests need to know about it, in one value. `apps/contexts.ts` lists them all: the apps take their
 * module lists, projections, process managers, schemas, settings, CLI commands and error codes from it.
 */
export interface ContextDefinition {
  /** kebab-case, unique. */
  readonly name: string;
  /** What the HTTP app serves of it: its controllers and the handlers they use. */
  readonly apiModule?: Type;
  /** What the worker runs of it: its process managers, schedulers and the handlers they use. */
  readonly workerModule?: Type;
  /** Its read models. */
  readonly projections: readonly ProjectionDefinition[];
  /** Its process managers (`@AsProcessManager` providers of `workerModule`), run by the worker under their leases. */
  readonly processManagers: readonly Type<ProcessManager>[];
  /** Its workflows (`@AsWorkflow` providers of `workerModule`), run by the worker with their durable timers. */
  readonly workflows: readonly Type<Workflow>[];
  /** Its event types with a schema version above 1, with their upcasters. */
  readonly eventSchemas: readonly EventSchema[];
  /** A line for each API tag its controllers use (`@ApiTags`), shown in `/docs`. */
  readonly apiTags: Readonly<Record<string, string>>;
  /** What it adds to `npm run cli` (for example identity's `users:create-admin`). */
  readonly cliCommands: readonly CliCommand[];
  /** Its error classes (made with `defineError`): what `GET /errors` lists of it. */
  readonly errors: readonly ErrorKind[];
  readonly config?: ContextConfig;
}

export function defineContext(definition: Partial<ContextDefinition> & Pick<ContextDefinition, 'name'>): ContextDefinition {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) throw new Error(`Context name "${definition.name}" must be kebab-case`);
  return { projections: [], processManagers: [], workflows: [], eventSchemas: [], cliCommands: [], errors: [], apiTags: {}, ...definition };
}

/** Injection token: the contexts this app runs. */
export const CONTEXTS = Symbol('CONTEXTS');

/**
 * Each context's config, loaded from `env`, as providers. Called once at launch, so a bad setting
 * stops the start with its message before anything runs.
 */
export function loadContextConfigs(contexts: readonly ContextDefinition[], env: Env, platform: PlatformConfig): Provider[] {
  return contexts.flatMap((context) => (context.config ? [{ provide: context.config.token, useValue: context.config.load(env, platform) }] : []));
}

export function contextProjections(contexts: readonly ContextDefinition[]): ProjectionDefinition[] {
  const projections = contexts.flatMap((context) => context.projections);
  const names = projections.map((projection) => projection.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new Error(`Two contexts define a projection named ${twice}`);
  return projections;
}
