import { recorded, timerFired, workflowSpec } from '@app/core/workflows/workflow-spec';
import type { TaskReshuffleFinished, TaskReshuffleStarted } from '../../contract/reshuffle.events';
import { CarryOutReshuffleCommand } from './carry-out-reshuffle.command';
import { loadReshuffleConfig } from './reshuffle.config';
import { ReshuffleResumerWorkflow } from './reshuffle-resumer.workflow';

const resumer = workflowSpec(new ReshuffleResumerWorkflow(loadReshuffleConfig({ RESHUFFLE_ABANDONED_AFTER_MS: '60000' })));
const reshuffleId = 'c0000000-0000-4000-8000-000000000003';
const startedAt = '2024-05-01T09:00:00.000Z';
const position = '0000000000000010-0000000000000000';
const started = recorded<TaskReshuffleStarted>(
  { type: 'TaskReshuffleStarted', data: { reshuffleId, startedBy: 'a0000000-0000-4000-8000-000000000001', startedAt } },
  { streamName: 'reshuffles', position },
);
const finished: TaskReshuffleFinished = { type: 'TaskReshuffleFinished', data: { reshuffleId, reassigned: 3, finishedAt: '2024-05-01T09:00:02.000Z' } };
const abandoned = (at: string) => timerFired('abandoned', at, { firedAt: at });

describe('reshuffle resumer workflow', () => {
  it('a reshuffle’s start sets a timer a window later; its finish cancels it', () => {
    resumer.given([]).when(started).then({ schedule: [{ id: 'abandoned', at: '2024-05-01T09:01:00.000Z' }] });
    resumer.given([started]).when(finished).then({ cancel: ['abandoned'] });
    resumer.given([started]).when(finished).thenTimers({});
  });

  it('a reshuffle still running when the window is over is carried out, from where and as of when it started, and watched another window', () => {
    resumer
      .given([started])
      .when(abandoned('2024-05-01T09:01:00.000Z'))
      .then({
        commands: [new CarryOutReshuffleCommand(reshuffleId, position, 'reshuffles')],
        schedule: [{ id: 'abandoned', at: '2024-05-01T09:02:00.000Z' }],
      });
    resumer
      .given([started, abandoned('2024-05-01T09:01:00.000Z')])
      .when(abandoned('2024-05-01T09:02:00.000Z'))
      .then({ commands: [new CarryOutReshuffleCommand(reshuffleId, position, 'reshuffles')], schedule: [{ id: 'abandoned', at: '2024-05-01T09:03:00.000Z' }] });
  });

  it('a reshuffle that finished before its timer fired is left alone, even when the firing was already on its way', () => {
    resumer.given([started, finished]).when(abandoned('2024-05-01T09:01:00.000Z')).thenNothing();
    resumer.given([started, abandoned('2024-05-01T09:01:00.000Z'), finished]).when(abandoned('2024-05-01T09:02:00.000Z')).thenNothing();
  });
});
