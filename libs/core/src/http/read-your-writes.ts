import { applyDecorators, type CanActivate, type ExecutionContext, Inject, Injectable, type PipeTransform, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { decodePosition, POSITION_PATTERN } from '@app/eventstore';
import type { PlatformConfig } from '../config/config';
import { currentContext } from '../context/request-context';
import { ConsistencyWaiter } from '../projections/consistency';
import type { ProjectionDefinition } from '../projections/projection';
import { PLATFORM_CONFIG } from '../nest/tokens';
import type { HttpRequest } from './adapter';

const READS_FROM = Symbol('READS_FROM');

/**
 * Marks a query endpoint with the read models it reads. It then accepts `?after=<position>` and
 * answers only once those projections have processed that position (or 503 READ_MODEL_LAGGING),
 * and it can read no other read model (see `ReadModels.use`).
 */
export function ReadsFrom(...projections: ProjectionDefinition[]) {
  return applyDecorators(
    SetMetadata(READS_FROM, projections.map((projection) => projection.name)),
    ApiResponse({ status: 503, description: 'READ_MODEL_LAGGING: the read model did not reach `after` in time' }),
  );
}

/** Query DTOs extend this so the global whitelist lets `after` through, declared and checked. */
export class ConsistentQuery {
  @ApiPropertyOptional({
    type: String,
    pattern: POSITION_PATTERN.source,
    example: '00000000000004d2-0000000000000001',
    description: 'Wait until the read model has processed this position (the `position` a command answered)',
  })
  @IsOptional()
  @Matches(POSITION_PATTERN, { message: 'after must be a position as a command answered it' })
  after?: string;
}

/**
 * Gives an endpoint marked `@ReadsFrom` its read models: it names them in the request's context,
 * where `ReadModels.use` hands out only those, and with `?after=` it leaves there the wait until
 * those projections have reached that position, which ReadYourWritesPipe awaits. Guard and pipe
 * instead of one interceptor: with no interceptor Nest runs a handler without rxjs or an
 * `AsyncResource` per request (about a tenth of a read's CPU, measured in bench/http-findings.md).
 */
@Injectable()
export class ReadYourWritesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly waiter: ConsistencyWaiter,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const projections = this.reflector.get<string[] | undefined>(READS_FROM, context.getHandler());
    const request = projections && context.getType() === 'http' ? currentContext() : undefined;
    if (!projections || !request) return true;
    request.readsFrom = projections;
    const after = context.switchToHttp().getRequest<HttpRequest>().query.after;
    if (after !== undefined) {
      const position = String(after);
      let reached: Promise<void> | undefined;
      request.readsAfter = () => (reached ??= this.reach(projections, position));
    }
    return true;
  }

  private async reach(projections: readonly string[], position: string): Promise<void> {
    decodePosition(position);
    await this.waiter.waitFor(projections, position, this.config.consistencyTimeoutMs);
  }
}

/**
 * Where `?after=` is waited for: Nest runs the pipes once every guard (the caller's authorization
 * among them) has passed, and the handler once every parameter has been through them. Listed after
 * the validation pipe, so a malformed `after` is refused first. Each endpoint marked `@ReadsFrom`
 * takes its query (a ConsistentQuery), so it has a parameter to wait on.
 */
@Injectable()
export class ReadYourWritesPipe implements PipeTransform {
  transform(value: unknown): unknown {
    const reached = currentContext()?.readsAfter;
    return reached ? reached().then(() => value) : value;
  }
}
