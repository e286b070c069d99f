import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('development defaults: PGlite in ./.data on port 3000', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, undefined);
  assert.match(c.dataDir, /\.data$/);
  assert.equal(c.env, 'development');
});

test('bad values fail fast naming the variable', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith('PORT')));
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ LOGIN_MAX_ATTEMPTS: '0' }), /LOGIN_MAX_ATTEMPTS/);
});

test('production requires PUBLIC_URL', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /PUBLIC_URL/);
  assert.equal(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://dost.example.az' }).publicUrl, 'https://dost.example.az');
});

test('OIDC is off unless configured, and then complete', () => {
  assert.equal(loadConfig({}).oidc, undefined);
  assert.throws(() => loadConfig({ OIDC_ISSUER: 'https://id.gov.az' }), /OIDC/);
});
