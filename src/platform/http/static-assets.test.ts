import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../test/app.ts';

// A stand-in build: the page, a hashed asset with its .br and .gz copies (as web/precompress.ts writes them), an icon.
const dir = mkdtempSync(path.join(tmpdir(), 'dost-web-'));
const js = `console.log(${JSON.stringify('dost '.repeat(2000))});`;
const html = `<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body>${'<p>DOST</p>'.repeat(200)}</body></html>`;
let t: TestApp;
before(async () => {
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), html);
  writeFileSync(path.join(dir, 'assets/index-abc123.js'), js);
  writeFileSync(path.join(dir, 'assets/index-abc123.js.br'), brotliCompressSync(js));
  writeFileSync(path.join(dir, 'assets/index-abc123.js.gz'), gzipSync(js));
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  t = await createTestApp({ webDistDir: dir });
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the web app is sent compressed and cached by its content hash (issue 10)', () => {
  test('hashed assets: brotli or gzip as the browser accepts, cached a year and immutable', async () => {
    const br = await t.app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(br.statusCode, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(br.headers.vary), /accept-encoding/i);
    assert.equal(brotliDecompressSync(br.rawPayload).toString(), js);
    assert.ok(br.rawPayload.length < js.length / 10, 'smaller on the wire');
    const gz = await t.app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.rawPayload).toString(), js);
    const plain = await t.app.inject({ url: '/assets/index-abc123.js' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, js);
  });

  test('the page is revalidated on each visit and compressed too; other files cached an hour', async () => {
    for (const url of ['/', '/catalog/some/page']) {
      const r = await t.app.inject({ url, headers: { 'accept-encoding': 'br' } });
      assert.equal(r.headers['content-encoding'], 'br', url);
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.equal(brotliDecompressSync(r.rawPayload).toString(), html);
    }
    const g = await t.app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gunzipSync(g.rawPayload).toString(), html);
    assert.equal((await t.app.inject({ url: '/' })).body, html);
    const icon = await t.app.inject({ url: '/favicon.svg' });
    assert.equal(icon.headers['cache-control'], 'public, max-age=3600');
  });
});
