export * from './http/analytics-api.module';
