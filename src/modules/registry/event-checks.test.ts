import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createUser } from '../../test/factories.ts';
import { CHECK_MESSAGES, degreeForPercent } from './event-checks.ts';

let t: TestApp;
let officer: Record<string, string>;
const ids = { mother: 0, father: 0, old: 0, dead: 0, merged: 0 };

type ErrOut = { code: string; details: { field: string; code: string; message: string }[] };
async function record(citizenId: number, type: string, occurredOn: string, data: Record<string, unknown>, locale = 'en') {
  return t.app.inject({
    method: 'POST', url: `/api/citizens/${citizenId}/life-events`,
    headers: { ...officer, 'idempotency-key': crypto.randomUUID(), 'accept-language': locale },
    payload: { type, occurredOn, source: 'test', data },
  });
}
/** Asserts the event is refused with this status and exactly these check codes. */
async function refused(status: number, codes: string[], ...args: Parameters<typeof record>) {
  const res = await record(...args);
  assert.equal(res.statusCode, status, res.body);
  assert.deepEqual(body<ErrOut>(res).details.map((d) => d.code).sort(), [...codes].sort(), res.body);
  return body<ErrOut>(res);
}
const child = (birth = '2026-03-09') => createCitizen(t.ctx.db, { birth_date: birth, first_name: 'Körpə' }).then((c) => c.citizen_id);

before(async () => {
  t = await createTestApp();
  t.setNow('2026-06-01T08:00:00Z');
  const u = await createUser(t.ctx.db, { roles: ['officer'] });
  officer = await t.login(u.username, u.password);
  ids.mother = (await createCitizen(t.ctx.db, { birth_date: '1995-01-01', sex: 'F' })).citizen_id;
  ids.father = (await createCitizen(t.ctx.db, { birth_date: '1990-01-01', sex: 'M' })).citizen_id;
  ids.old = (await createCitizen(t.ctx.db, { birth_date: '1960-01-01', sex: 'F' })).citizen_id;
  ids.dead = (await createCitizen(t.ctx.db, { birth_date: '1990-01-01', sex: 'F', death_date: '2025-01-01' })).citizen_id;
  ids.merged = (await createCitizen(t.ctx.db, { birth_date: '1990-01-01', merged_into: ids.father })).citizen_id;
});
after(() => t.close());

describe('life-event checks on the staff route', () => {
  test('a valid birth is recorded; a second original birth of the same child is a duplicate (409)', async () => {
    const c = await child();
    assert.equal((await record(c, 'birth', '2026-03-09', { motherCitizenId: ids.mother, fatherCitizenId: ids.father })).statusCode, 201);
    await refused(409, ['BIRTH_DUPLICATE'], c, 'birth', '2026-03-09', { motherCitizenId: ids.mother });
  });

  test('birth: date must be the registry birth date', async () => {
    await refused(422, ['BIRTH_DATE_MISMATCH'], await child(), 'birth', '2026-03-10', { motherCitizenId: ids.mother });
  });

  test('birth: the mother exists, is female, is not the child, was alive and of plausible age', async () => {
    await refused(422, ['MOTHER_NOT_FOUND'], await child(), 'birth', '2026-03-09', { motherCitizenId: 99_999_999 });
    await refused(422, ['MOTHER_NOT_FEMALE'], await child(), 'birth', '2026-03-09', { motherCitizenId: ids.father });
    const c = await child();
    await refused(422, ['MOTHER_IS_CHILD'], c, 'birth', '2026-03-09', { motherCitizenId: c });
    await refused(422, ['MOTHER_NOT_ALIVE'], await child(), 'birth', '2026-03-09', { motherCitizenId: ids.dead });
    const r = await refused(422, ['MOTHER_AGE'], await child(), 'birth', '2026-03-09', { motherCitizenId: ids.old });
    assert.match(r.details[0]!.message, /\(66\) is outside 14–55/);
    const teen = (await createCitizen(t.ctx.db, { birth_date: '2013-01-01', sex: 'F' })).citizen_id;
    await refused(422, ['MOTHER_AGE'], await child(), 'birth', '2026-03-09', { motherCitizenId: teen });
  });

  test('birth: the father, if given, exists and is male', async () => {
    await refused(422, ['FATHER_NOT_FOUND'], await child(), 'birth', '2026-03-09', { motherCitizenId: ids.mother, fatherCitizenId: 99_999_999 });
    await refused(422, ['FATHER_NOT_MALE'], await child(), 'birth', '2026-03-09', { motherCitizenId: ids.mother, fatherCitizenId: ids.mother });
  });

  test('death: not twice, not before birth; nothing after a death', async () => {
    const p = (await createCitizen(t.ctx.db, { birth_date: '2000-05-05' })).citizen_id;
    await refused(422, ['BEFORE_BIRTH'], p, 'death', '2000-05-04', {});
    assert.equal((await record(p, 'death', '2026-05-01', {})).statusCode, 201);
    await refused(409, ['ALREADY_DEAD'], p, 'death', '2026-05-02', {});
    await refused(409, ['AFTER_DEATH'], p, 'marriage', '2026-05-10', {});
    assert.equal((await record(p, 'insurance_record', '2026-04-30', { months: 12 })).statusCode, 201, 'an event before the death is still fine');
  });

  test('every event: not in the future (Baku today), not for a merged record (names the survivor)', async () => {
    await refused(422, ['FUTURE_DATE'], ids.father, 'marriage', '2026-06-02', {});
    assert.equal((await record(ids.father, 'marriage', '2026-06-01', {})).statusCode, 201);
    const r = await refused(422, ['CITIZEN_MERGED'], ids.merged, 'marriage', '2026-05-01', {});
    assert.match(r.details[0]!.message, new RegExp(`person ${ids.father}`));
  });

  test('disability: degree follows percent by the bands; under 31 % there is no degree', async () => {
    const p = (await createCitizen(t.ctx.db, { birth_date: '1980-01-01' })).citizen_id;
    await refused(422, ['DISABILITY_DEGREE_MISMATCH'], p, 'disability_assessment', '2026-05-01', { degree: 1, percent: 70 });
    await refused(422, ['DISABILITY_DEGREE_MISMATCH'], p, 'disability_assessment', '2026-05-01', { degree: 3, percent: 20 });
    const none = await refused(422, ['DISABILITY_DEGREE_MISMATCH'], p, 'disability_assessment', '2026-05-01', { percent: 45 }, 'ru');
    assert.equal(none.details[0]!.message, 'Для 45% степень по закону: 3');
    for (const [degree, percent] of [[1, 81], [2, 80], [2, 61], [3, 60], [3, 31]] as const) {
      assert.equal((await record(p, 'disability_assessment', '2026-05-01', { degree, percent })).statusCode, 201, `${degree} ${percent}`);
    }
    assert.equal((await record(p, 'disability_assessment', '2026-05-02', { percent: 30 })).statusCode, 201);
    assert.equal((await record(p, 'disability_assessment', '2026-05-03', { degree: null, percent: 0 })).statusCode, 201);
    assert.equal(degreeForPercent(100, '2026-01-01'), 1);
    assert.equal(degreeForPercent(30, '2026-01-01'), null);
  });

  test('messages are in the caller\'s language, with no English in az/ru', async () => {
    const r = await refused(422, ['MOTHER_NOT_FEMALE'], await child(), 'birth', '2026-03-09', { motherCitizenId: ids.father }, 'az');
    assert.equal(r.details[0]!.message, CHECK_MESSAGES.MOTHER_NOT_FEMALE.az);
    assert.equal(r.details[0]!.field, '/data/motherCitizenId');
    for (const m of Object.values(CHECK_MESSAGES)) {
      assert.doesNotMatch(m.az + m.ru, /\b(the|is|not|and|of)\b/i);
    }
  });
});
