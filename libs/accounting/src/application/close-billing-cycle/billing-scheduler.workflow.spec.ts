import { timerFired, workflowSpec, workflowStarted } from '@app/core/workflows/workflow-spec';
import { loadAccountingConfig } from '../accounting.config';
import { BillingSchedulerWorkflow } from './billing-scheduler.workflow';
import { CloseDueBillingCycleCommand } from './close-due-billing-cycle.command';

const scheduler = (dayEnd: string) => workflowSpec(new BillingSchedulerWorkflow(loadAccountingConfig({ BILLING_DAY_END: dayEnd })));
const close = (date: string, at: string) => ({ id: `close-${date}`, at, data: { date } });
const due = (date: string, at: string, options: { generation?: number } = {}) => timerFired(`close-${date}`, at, { data: { date }, ...options });

describe('billing scheduler workflow', () => {
  it('at its first launch closes the day then due at once: yesterday from the day end on, else the day before', () => {
    // The day before yesterday is due whatever the day end; its firing sets yesterday's.
    const launchedAt = (at: string) => workflowStarted(at);
    scheduler('00:00').given([]).when(launchedAt('2024-05-02T00:00:00.000Z')).then({ schedule: [close('2024-04-30', '2024-05-01T00:00:00.000Z')] });
    scheduler('00:00')
      .given([launchedAt('2024-05-02T00:00:00.000Z')])
      .when(due('2024-04-30', '2024-05-01T00:00:00.000Z'))
      .thenTimers({ 'close-2024-05-01': '2024-05-02T00:00:00.000Z' });
    scheduler('06:00')
      .given([launchedAt('2024-05-02T05:59:59.000Z')])
      .when(due('2024-04-30', '2024-05-01T06:00:00.000Z'))
      .thenTimers({ 'close-2024-05-01': '2024-05-02T06:00:00.000Z' });
  });

  it('when a day’s close is due, sends it through the bus and sets the next day’s at BILLING_DAY_END, across months and years', () => {
    scheduler('18:30')
      .given([workflowStarted('2025-01-01T07:00:00.000Z'), due('2024-12-30', '2024-12-31T18:30:00.000Z')])
      .when(due('2024-12-31', '2025-01-01T18:30:00.000Z'))
      .then({ commands: [new CloseDueBillingCycleCommand('2024-12-31')], schedule: [close('2025-01-01', '2025-01-02T18:30:00.000Z')] });
    scheduler('00:00')
      .given([workflowStarted('2024-03-01T08:00:00.000Z')])
      .when(due('2024-02-28', '2024-02-29T00:00:00.000Z'))
      .then({ commands: [new CloseDueBillingCycleCommand('2024-02-28')], schedule: [close('2024-02-29', '2024-03-01T00:00:00.000Z')] });
  });

  it('catches up the days missed while no worker ran: each fires in turn, in order, however late', () => {
    const history = [workflowStarted('2024-05-02T00:10:00.000Z'), due('2024-04-30', '2024-05-01T00:00:00.000Z'), due('2024-05-01', '2024-05-02T00:00:00.000Z')];
    scheduler('00:00')
      .given(history)
      .when(due('2024-05-02', '2024-05-03T00:00:00.000Z'))
      .then({ commands: [new CloseDueBillingCycleCommand('2024-05-02')], schedule: [close('2024-05-03', '2024-05-04T00:00:00.000Z')] });
    scheduler('00:00').given(history).when(due('2024-05-02', '2024-05-03T00:00:00.000Z')).thenState({ lastDue: '2024-05-02' });
  });

  it('a day end changed since keeps the closes already fired, and moves the pending one', () => {
    // Fired at midnight under the old day end; the stream folds the same under the new one.
    scheduler('06:00')
      .given([workflowStarted('2024-05-02T00:10:00.000Z'), due('2024-04-30', '2024-05-01T00:00:00.000Z', { generation: 1 })])
      .when(due('2024-05-01', '2024-05-02T00:00:00.000Z', { generation: 1 }))
      .then({ commands: [new CloseDueBillingCycleCommand('2024-05-01')], schedule: [close('2024-05-02', '2024-05-03T06:00:00.000Z')] });
  });

  it('sends the close stoppable: at shutdown the worker’s signal stops it between steps', () => {
    const signal = new AbortController().signal;
    expect(new CloseDueBillingCycleCommand('2024-05-01').withSignal(signal)).toEqual(new CloseDueBillingCycleCommand('2024-05-01', signal));
  });
});
