import type { EventSchema, ProjectionDefinition } from '@app/core';

/** Every projection the platform runs; each bounded context adds its read models here. */
export const projections: ProjectionDefinition[] = [];

/** Every event type with a schema version above 1, with its upcasters. */
export const eventSchemas: EventSchema[] = [];
