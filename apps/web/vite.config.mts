import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The web app's build: `npm run build` writes it to dist/web, which the api serves at `/`.
 * `npm run web:dev` serves it with reloads on :5173 and sends API calls to the api on :3000.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: resolve(import.meta.dirname, '../../dist/web'), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800,
    rolldownOptions: {
      // React Query marks its modules "use client" (for server components); a plain SPA has none.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      ['auth', 'users', 'tasks', 'accounting', 'analytics', 'ledger', 'ticketing', 'orders', 'projections', 'process-managers', 'events', 'streams', 'errors', 'health'].map((segment) => [
        `/${segment}`,
        { target: process.env.API_URL ?? 'http://127.0.0.1:3000' },
      ]),
    ),
  },
});
