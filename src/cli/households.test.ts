import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

// `dost households …` as an officer runs it: the real binary on an embedded database.
const bin = path.resolve(import.meta.dirname, '../../bin/dost.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'dost-hh-cli-'));
const env = { ...process.env, DOST_DATA_DIR: dir, DATABASE_URL: '', NODE_ENV: 'development', LOG_LEVEL: 'warn', DOST_WEB_DIST: path.join(dir, 'no-web') };
const dost = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 120_000 });
after(() => rmSync(dir, { recursive: true, force: true }));

before(() => {
  const csv = path.join(dir, 'people.csv');
  writeFileSync(csv, 'fin,last_name,first_name,patronymic,birth_date,sex,district_code,address,phone,id_card_number\n'
    + '5ZX8K2M,Əliyeva,Səbinə,Rauf qızı,1985-03-10,F,BAK-YAS,,+994551234501,AA1111111\n'
    + '6AB3C4D,Əliyev,Murad,Elçin oğlu,2012-07-01,M,BAK-YAS,,+994551234502,AA2222222\n'
    + '2HJ7K8L,Həsənov,Tural,Vaqif oğlu,1980-01-01,M,BAK-NAS,,+994551234503,AA3333333\n');
  const r = dost('import', 'citizens', csv);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('create, add a member, declare income, show — FINs in any case', () => {
  const c = dost('households', 'create', '--head', '5zx8k2m', '--district', 'BAK-YAS', '--address', 'Bakı, Yasamal, Şərifzadə 1', '--from', '2020-01-01');
  assert.equal(c.status, 0, c.stderr);
  const id = /household (\d+)/.exec(c.stdout)?.[1];
  assert.ok(id, c.stdout);
  const a = dost('households', 'add-member', id, '6ab3c4d', '--relation', 'child', '--from', '2020-01-01');
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /6AB3C4D .*Child .*since 2020-01-01/);
  const d = dost('households', 'declare-income', id, '--azn', '250', '--from', '2025-01-01', '--to', '2025-12-31', '--source', 'wages', '--declared-on', '2026-01-15');
  assert.equal(d.status, 0, d.stderr);
  const s = dost('households', 'show', '6AB3c4d');
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /5ZX8K2M .*Head of household/);
  assert.match(s.stdout, /2026-01-15 {2}250\.00 AZN\/month {2}2025-01-01 – 2025-12-31 {2}Wages/);
});

test('an invalid FIN is told apart from one not in the registry; validation errors name the field', () => {
  const bad = dost('households', 'show', 'IOIOIOI');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /not a valid FIN/);
  const unknown = dost('households', 'show', '9ZZ9ZZ9');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /no citizen with FIN 9ZZ9ZZ9/);
  const none = dost('households', 'show', '2hj7k8l');
  assert.equal(none.status, 1);
  assert.match(none.stderr, /in no household/);
  const future = dost('households', 'add-member', '1', '2HJ7K8L', '--relation', 'cousin', '--from', '2199-01-01');
  assert.equal(future.status, 1);
  assert.match(future.stderr, /relation: There is no such relation/);
  assert.match(future.stderr, /from: The date cannot be in the future/);
  const neg = dost('households', 'declare-income', '1', '--azn', '-5', '--from', '2025-01-01', '--to', '2024-12-31', '--source', 'wages');
  assert.equal(neg.status, 1);
  assert.match(neg.stderr, /monthlyIncomeAzn: Income cannot be negative/);
  assert.match(neg.stderr, /periodTo: The end of the period cannot be before its start/);
});
