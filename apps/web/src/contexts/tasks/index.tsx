import type { Area } from '../../pages';
import { AllTasksPage, CreateTaskPage, MyTasksPage, TaskPage } from './pages';
import './tasks.css';

export const tasksArea: Area = {
  label: 'Tasks',
  pages: [
    { path: '/tasks/mine', title: 'My tasks', Component: MyTasksPage, nav: 'My tasks' },
    { path: '/tasks', title: 'All tasks', Component: AllTasksPage, nav: 'All tasks' },
    { path: '/tasks/new', title: 'Create task', Component: CreateTaskPage, nav: 'Create task' },
    { path: '/tasks/:taskId', title: 'Task', Component: TaskPage },
  ],
};
