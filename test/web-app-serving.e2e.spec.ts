import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiSegments } from '../libs/core/src/nest/web-app';
import { startPlatform } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

const ASSET = 'console.log("app")';

/** A built app as Vite writes it: index.html and hashed assets. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), ASSET);
  writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  mkdirSync(join(dir, 'assets', 'nested'));
  writeFileSync(join(dir, 'assets', 'nested', 'chunk-1.js'), 'export {}');
  return dir;
}

describe('the web app is served at / next to the API', () => {
  const webDir = fakeBuild();
  let platform: TestApp;
  beforeAll(async () => {
    platform = await startPlatform({ env: { WEB_DIR: webDir } });
  });
  afterAll(async () => {
    await platform?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('answers / with the app, uncached so a new build is picked up', async () => {
    const response = await platform.http.get('/').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.text).toContain('/assets/index-abc123.js');
  });

  it('serves hashed assets for good, and a missing asset is a 404, not the app', async () => {
    const asset = await platform.http.get('/assets/index-abc123.js').expect(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['content-length']).toBe(String(Buffer.byteLength(ASSET)));
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.text).toBe(ASSET);
    const styles = await platform.http.get('/assets/index-abc123.css').expect(200);
    expect(styles.headers['content-type']).toMatch(/^text\/css/);
    const gone = await platform.http.get('/assets/index-gone.js').set('Accept', 'text/html').expect(404);
    expect(gone.body.error.code).toBe('NOT_FOUND');
  });

  it('answers HEAD for an asset with its headers and no body', async () => {
    const head = await platform.http.head('/assets/index-abc123.js').expect(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(ASSET)));
    expect(head.headers['cache-control']).toContain('immutable');
    expect(head.text ?? '').toBe('');
  });

  it('serves nothing outside the assets, nor a directory', async () => {
    for (const path of ['/assets/../index.html', '/assets/%2e%2e/index.html', '/assets/%2E%2E%2Findex.html', '/assets/..%2f..%2fetc%2fpasswd', '/assets/', '/assets/nested']) {
      const response = await platform.http.get(path).set('Accept', 'text/html');
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.text).not.toContain('<title>app</title>');
    }
    // A malformed escape names nothing either (Fastify's router refuses such a URL itself, with a 400).
    const malformed = await platform.http.get('/assets/%ZZ').set('Accept', 'text/html');
    expect([400, 404]).toContain(malformed.status);
    expect(malformed.text).not.toContain('<title>app</title>');
    // Served from the directory read at start, so a nested asset is reachable only by its own name.
    await platform.http.get('/assets/nested/chunk-1.js').expect(200);
  });

  it("a browser's address outside the API opens the app; an API client still gets the JSON 404", async () => {
    const browser = await platform.http.get('/some/bookmark').set('Accept', 'text/html,application/xhtml+xml').expect(200);
    expect(browser.text).toContain('<title>app</title>');
    const client = await platform.http.get('/some/bookmark').set('Accept', 'application/json').expect(404);
    expect(client.body.error.code).toBe('NOT_FOUND');
  });

  it('API paths stay the API, even for a browser', async () => {
    const tasks = await platform.http.get('/tasks').set('Accept', 'text/html').expect(401);
    expect(tasks.body.error.code).toBe('UNAUTHENTICATED');
    await platform.http.get('/health').set('Accept', 'text/html').expect(200).expect('Content-Type', /json/);
    await platform.http.get('/docs-json').set('Accept', 'text/html').expect(200).expect('Content-Type', /json/);
    const metrics = await platform.http.get('/metrics').set('Accept', 'text/html');
    expect(metrics.text).not.toContain('<title>app</title>');
    expect(metrics.headers['content-type']).not.toMatch(/html/);
    expect((await platform.http.post('/some/bookmark').set('Accept', 'text/html').send({})).status).toBe(404);
  });

  it("the app may run only its own scripts; the OpenAPI UI keeps the inline script it needs", async () => {
    const app = (await platform.http.get('/').expect(200)).headers['content-security-policy'];
    expect(app).toMatch(/script-src 'self'(;|$)/);
    const docs = (await platform.http.get('/docs/').expect(200)).headers['content-security-policy'];
    expect(docs).toMatch(/script-src 'self' 'unsafe-inline'/);
  });

  it('serves the OpenAPI UI with the files its page loads, and its document as JSON and YAML', async () => {
    for (const path of ['/docs', '/docs/']) {
      const page = await platform.http.get(path).expect(200).expect('Content-Type', /html/);
      expect(page.text).toContain('swagger-ui-bundle.js');
    }
    const bundle = await platform.http.get('/docs/swagger-ui-bundle.js').expect(200).expect('Content-Type', /javascript/);
    expect(Number(bundle.headers['content-length'])).toBeGreaterThan(0);
    await platform.http.get('/docs/swagger-ui.css').expect(200).expect('Content-Type', /css/);
    await platform.http.get('/docs/swagger-ui-init.js').expect(200).expect('Content-Type', /javascript/);
    expect((await platform.http.get('/docs/LICENSE')).status).toBe(404);
    expect((await platform.http.get('/docs-json').expect(200)).body.openapi).toMatch(/^3\./);
    await platform.http.get('/docs-yaml').expect(200).expect('Content-Type', /yaml/);
  });

  it('takes the API segments from the API document', () => {
    expect([...apiSegments(['/tasks', '/tasks/{taskId}', '/auth/login', '/ledger/accounts/{branch}/{account}/balance'])].sort()).toEqual(
      ['auth', 'docs', 'docs-json', 'docs-yaml', 'ledger', 'metrics', 'tasks'].sort(),
    );
  });
});

describe('without a build', () => {
  it('serves no app and / is the JSON 404', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'web-empty-'));
    const platform = await startPlatform({ env: { WEB_DIR: empty } });
    try {
      expect((await platform.http.get('/').set('Accept', 'text/html').expect(404)).body.error.code).toBe('NOT_FOUND');
    } finally {
      await platform.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
