import type { DomainEvent } from '@app/core/domain';

/** A manager or admin asked to reassign every open task; recorded before any task is touched. */
export type TaskReshuffleStarted = DomainEvent<'TaskReshuffleStarted', { reshuffleId: string; startedBy: string | null; startedAt: string }>;

/** Every task open when the reshuffle ran has been reassigned by it (`reassigned` counts those the finishing run did). */
export type TaskReshuffleFinished = DomainEvent<'TaskReshuffleFinished', { reshuffleId: string; reassigned: number; finishedAt: string }>;

export type ReshuffleEvent = TaskReshuffleStarted | TaskReshuffleFinished;
