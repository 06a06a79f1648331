export * from './http/analytics-api.module';
export * from './analytics.context';
