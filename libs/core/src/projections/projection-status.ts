import type { EventStore, Position } from '@app/eventstore';
import type { ProjectionDefinition, ProjectionStatus } from './projection';
import type { ProjectionStore } from './projection-store';

export interface ProjectionReport {
  name: string;
  version: number;
  status: ProjectionStatus;
  position: Position | null;
  lagEvents: number;
  lagSeconds: number;
  lastError: string | null;
  /** During a rebuild: how far the new generation has read. */
  rebuild: { version: number; position: Position | null } | null;
}

/** Lag is counted by reading the log after the checkpoint, up to this many events. */
const LAG_COUNT_LIMIT = 10_000;

/** What each projection is doing and how far behind it is, for /projections, /health and /metrics. */
export class ProjectionStatusReader {
  constructor(
    private readonly store: EventStore,
    private readonly projections: ProjectionStore,
    private readonly definitions: readonly ProjectionDefinition[],
  ) {}

  async report(): Promise<ProjectionReport[]> {
    const [states, checkpoints] = await Promise.all([this.projections.states(), this.projections.checkpoints()]);
    const reports: ProjectionReport[] = [];
    for (const definition of this.definitions) {
      const state = states.find((s) => s.name === definition.name);
      if (!state) continue;
      const active = checkpoints.find((c) => c.name === state.name && c.generation === state.active_generation);
      const building = checkpoints.find((c) => c.name === state.name && c.generation === state.building_generation);
      const position = active?.position ?? null;
      const lag = await this.lag(definition, position);
      const status: ProjectionStatus = state.halted
        ? 'halted'
        : state.building_generation !== null
          ? 'rebuilding'
          : active?.caught_up && lag.events === 0
            ? 'running'
            : 'catching_up';
      reports.push({
        name: state.name,
        version: state.active_version,
        status,
        position,
        lagEvents: lag.events,
        lagSeconds: lag.seconds,
        lastError: state.last_error,
        rebuild: state.building_generation === null ? null : { version: state.building_version!, position: building?.position ?? null },
      });
    }
    return reports;
  }

  /** Events this projection handles that it has not processed yet, and how long the oldest waited. */
  private async lag(definition: ProjectionDefinition, position: Position | null): Promise<{ events: number; seconds: number }> {
    const pending = await this.store.readAll({
      fromPosition: position ?? 'start',
      maxCount: LAG_COUNT_LIMIT,
      filter: { eventTypes: Object.keys(definition.handlers) },
    });
    if (pending.length === 0) return { events: 0, seconds: 0 };
    return { events: pending.length, seconds: Math.max(0, (Date.now() - pending[0].recordedAt.getTime()) / 1000) };
  }
}
