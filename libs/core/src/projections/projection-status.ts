import type { Position } from '@app/eventstore';
import type { PendingEventCounter } from './pending-events';
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

/** What each projection is doing and how far behind it is, for /projections, /health and /metrics. */
export class ProjectionStatusReader {
  constructor(
    private readonly countPending: PendingEventCounter,
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
    const pending = await this.countPending(position, definition.eventTypes);
    if (pending.count === 0 || !pending.oldestRecordedAt) return { events: 0, seconds: 0 };
    return { events: pending.count, seconds: Math.max(0, (Date.now() - pending.oldestRecordedAt.getTime()) / 1000) };
  }

  /** Events the projection's building generation (or, outside a rebuild, its serving one) has yet to process, and all it handles. */
  async progress(definition: ProjectionDefinition): Promise<{ done: number; total: number; rebuilding: boolean }> {
    const [report] = (await this.report()).filter((r) => r.name === definition.name);
    if (!report) return { done: 0, total: 0, rebuilding: false };
    const types = definition.eventTypes;
    const position = report.rebuild ? report.rebuild.position : report.position;
    const [total, pending] = await Promise.all([this.countPending(null, types), this.countPending(position, types)]);
    return { done: total.count - pending.count, total: total.count, rebuilding: report.rebuild !== null };
  }
}
