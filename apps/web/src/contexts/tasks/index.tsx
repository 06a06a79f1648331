import type { Area } from '../../pages';
import { STAFF } from '../../session';
import { AllTasksPage, CreateTaskPage, MyTasksPage, TaskPage } from './pages';
import './tasks.css';

export const tasksArea: Area = {
  label: 'Tasks',
  pages: [
    { path: '/tasks/mine', title: 'My tasks', Component: MyTasksPage, nav: 'My tasks', roles: STAFF },
    { path: '/tasks', title: 'All tasks', Component: AllTasksPage, nav: 'All tasks', roles: STAFF },
    { path: '/tasks/new', title: 'Create task', Component: CreateTaskPage, nav: 'Create task', roles: STAFF },
    { path: '/tasks/:taskId', title: 'Task', Component: TaskPage, roles: STAFF },
  ],
};
