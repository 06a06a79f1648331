import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { from, Observable, switchMap } from 'rxjs';
import { decodePosition, POSITION_PATTERN } from '@app/eventstore';
import type { PlatformConfig } from '../config/config';
import { currentContext, runWithContext } from '../context/request-context';
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

@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly waiter: ConsistencyWaiter,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const projections = this.reflector.get<string[] | undefined>(READS_FROM, context.getHandler());
    if (!projections || context.getType() !== 'http') return next.handle();
    const handle = declaring(projections, next);
    const after = context.switchToHttp().getRequest<HttpRequest>().query.after;
    if (after === undefined) return handle;
    const position = String(after);
    decodePosition(position);
    return from(this.waiter.waitFor(projections, position, this.config.consistencyTimeoutMs)).pipe(switchMap(() => handle));
  }
}

/** The handler, run in a copy of the request's context that names the read models it may read (see `ReadModels.use`). */
function declaring(projections: readonly string[], next: CallHandler): Observable<unknown> {
  const request = currentContext();
  if (!request) return next.handle();
  const scoped = { ...request, readsFrom: projections };
  return new Observable((subscriber) => runWithContext(scoped, () => next.handle().subscribe(subscriber)));
}
