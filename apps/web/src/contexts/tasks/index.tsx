import type { Area } from '../../pages';

export const tasksArea: Area = { label: 'Tasks', pages: [] };
