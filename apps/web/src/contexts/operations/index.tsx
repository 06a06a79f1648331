import type { Area } from '../../pages';
import { EventLogPage, EventPage, StreamPage, StreamsPage } from './events';
import { ProcessManagersPage, ProjectionsPage } from './projections';

const ADMIN = ['admin'] as const;

export const operationsArea: Area = {
  label: 'Operations',
  pages: [
    { path: '/operations/projections', title: 'Projections', Component: ProjectionsPage, nav: 'Projections', roles: ADMIN },
    { path: '/operations/process-managers', title: 'Process managers', Component: ProcessManagersPage, nav: 'Process managers', roles: ADMIN },
    { path: '/operations/events', title: 'Event log', Component: EventLogPage, nav: 'Event log', roles: ADMIN },
    { path: '/operations/events/:eventId', title: 'Event', Component: EventPage, roles: ADMIN },
    { path: '/operations/streams', title: 'Streams', Component: StreamsPage, nav: 'Streams', roles: ADMIN },
    { path: '/operations/streams/:stream', title: 'Stream', Component: StreamPage, roles: ADMIN },
  ],
};
