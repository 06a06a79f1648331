import type { Area } from '../../pages';
import { AnalyticsPage } from './analytics';
import './analytics.css';

export const analyticsArea: Area = {
  label: 'Analytics',
  pages: [{ path: '/analytics', title: 'Analytics', Component: AnalyticsPage, nav: 'Analytics', roles: ['admin'] }],
};
