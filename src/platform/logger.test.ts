import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger, maskFins } from './logger.ts';

test('FIN-shaped tokens in text are masked, ordinary words are not', () => {
  assert.equal(maskFins('/api/citizens?fin=5ZX8K2M'), '/api/citizens?fin=5******');
  assert.equal(maskFins('GET /api/catalog/services'), 'GET /api/catalog/services');
  assert.equal(maskFins('REQUEST'), 'REQUEST');
});

test('personal fields are redacted in structured logs, at any of the first levels', () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
  const logger = createLogger('info', sink);
  logger.info({ fin: '5ZX8K2M', citizen: { lastName: 'Əliyev', phone: '+994501234567' }, firstName: 'Elvin', ok: 'visible' }, 'x');
  logger.info({ req: { method: 'GET', url: '/api/citizens?fin=5ZX8K2M', id: '1' } }, 'request');
  const out = lines.join('');
  assert.doesNotMatch(out, /5ZX8K2M|Əliyev|Elvin|501234567/);
  assert.match(out, /visible/);
});
