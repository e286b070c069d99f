import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { body } from '../../test/app.ts';
import { createUser } from '../../test/factories.ts';
import { CENTER, createQueueTestApp, SVC, type QueueTestApp } from './test-kit.ts';
import { MAX_SURVEY_QUESTIONS } from './schema.ts';

// Every replace-style route (a PUT or PATCH that replaces a set) under concurrent saves of the
// same thing: each answers 200 or a clear 409, never a 500 (a deadlock surfacing), and the final
// state is one of the saves, whole — never a mix of several, never past a limit.

let t: QueueTestApp;
let manager: string;
let admin: string;
const N = 24;

before(async () => {
  t = await createQueueTestApp();
  manager = await t.token('center_manager');
  admin = await t.token('admin', null);
  assert.equal((await t.as(manager, 'GET', `/api/queue/centers/${CENTER}/windows`)).statusCode, 200); // the center's windows exist
});
after(() => t.close());

/** Fires all requests at once; returns their statuses after asserting none is a 5xx or out of the error shape. */
async function together(requests: (() => Promise<import('fastify').LightMyRequestResponse>)[]): Promise<number[]> {
  const res = await Promise.all(requests.map((r) => r()));
  for (const r of res) {
    assert.ok(r.statusCode === 200 || r.statusCode === 409, `${r.statusCode} ${r.body}`);
    if (r.statusCode === 409) assert.equal(body(r).code, 'CONFLICT');
  }
  return res.map((r) => r.statusCode);
}

const question = (i: number, j: number) => ({ kind: 'rating' as const, text: { az: `S${i}.${j}`, ru: `В${i}.${j}`, en: `Q${i}.${j}` } });

describe('replace-style routes under concurrent saves', () => {
  test('survey questions: concurrent saves serialise; the center keeps exactly one save, at most 20 active', async () => {
    for (let round = 0; round < 3; round++) {
      const saves = Array.from({ length: N }, (_, i) => Array.from({ length: 1 + ((i * 7 + round) % MAX_SURVEY_QUESTIONS) }, (_, j) => question(i, j)));
      const statuses = await together(saves.map((questions) => () => t.as(manager, 'PUT', `/api/queue/centers/${CENTER}/survey-questions`, { questions })));
      assert.ok(statuses.some((s) => s === 200));
      const active = await t.ctx.db.selectFrom('queue_survey_questions').select(['position', 'text_en']).where('center_code', '=', CENTER).where('active', '=', true).orderBy('position').execute();
      assert.ok(active.length <= MAX_SURVEY_QUESTIONS, `${active.length} active questions`);
      const texts = active.map((q) => q.text_en);
      assert.ok(saves.some((s) => JSON.stringify(s.map((q) => q.text.en)) === JSON.stringify(texts)), `the active set is one save, whole: ${texts.join(',')}`);
      assert.deepEqual(active.map((q) => q.position), active.map((_, i) => i + 1));
    }
  });

  test('the database itself refuses a 21st active question of a center', async () => {
    const rows = Array.from({ length: MAX_SURVEY_QUESTIONS + 1 }, (_, i) => ({ center_code: CENTER, position: i + 1, kind: 'rating', text_az: 'a', text_ru: 'b', text_en: 'c' }));
    await assert.rejects(t.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('queue_survey_questions').set({ active: false }).where('center_code', '=', CENTER).execute();
      await trx.insertInto('queue_survey_questions').values(rows).execute();
    }));
    await assert.rejects(t.ctx.db.insertInto('queue_survey_questions').values({ ...rows[0]!, position: 1 }).execute(), 'two active questions at one position');
  });

  test('roster of a day: concurrent replacements serialise; the day keeps exactly one of them', async () => {
    const windows = (await t.ctx.db.selectFrom('queue_windows').select('window_no').where('center_code', '=', CENTER).orderBy('window_no').execute()).map((w) => w.window_no);
    const operators = await Promise.all(Array.from({ length: 6 }, () => createUser(t.ctx.db, { roles: ['operator'], centerCode: CENTER })));
    const date = '2027-03-01';
    const saves = Array.from({ length: N }, (_, i) => {
      const picked = windows.slice(i % 3, (i % 3) + 1 + (i % operators.length));
      // Windows in different orders, so unserialised inserts would cross on the unique keys.
      const entries = picked.map((w, j) => ({ windowNo: w, userId: operators[(i + j) % operators.length]!.user_id }));
      return i % 2 ? entries.reverse() : entries;
    }).filter((e) => new Set(e.map((x) => x.userId)).size === e.length);
    await together(saves.map((entries) => () => t.as(manager, 'PUT', `/api/queue/centers/${CENTER}/roster/${date}`, { entries })));
    const final = await t.ctx.db.selectFrom('queue_rosters').select(['window_no', 'user_id']).where('center_code', '=', CENTER).where('work_date', '=', date).orderBy('window_no').execute();
    const key = (e: { windowNo: number; userId: string }[]) => JSON.stringify([...e].sort((a, b) => a.windowNo - b.windowNo).map((x) => [x.windowNo, x.userId]));
    assert.ok(saves.some((s) => key(s) === key(final.map((r) => ({ windowNo: r.window_no, userId: r.user_id })))), 'the roster is one save, whole');
  });

  test('a window\'s state and skills: concurrent changes answer 200 or 409 and leave one of them', async () => {
    const skillSets = [[SVC.ref], [SVC.labour], [SVC.ref, SVC.disability], [SVC.ref, SVC.labour, SVC.disability]];
    const changes = Array.from({ length: N }, (_, i) => ({ isOpen: i % 3 !== 0, skills: skillSets[i % skillSets.length]! }));
    await together(changes.map((c) => () => t.as(manager, 'PATCH', `/api/queue/centers/${CENTER}/windows/1`, c)));
    const w = await t.ctx.db.selectFrom('queue_windows').select(['is_open', 'skills']).where('center_code', '=', CENTER).where('window_no', '=', 1).executeTakeFirstOrThrow();
    assert.ok(changes.some((c) => c.isOpen === w.is_open && JSON.stringify(c.skills) === JSON.stringify(w.skills)), 'the window is one change, whole');
    // Slot capacities still follow the windows as they are now (the CHECK never fails).
    const bad = await sql<{ n: number }>`select count(*)::int as n from queue_slots where booked > capacity + kept_over_capacity`.execute(t.ctx.db);
    assert.equal(bad.rows[0]!.n, 0);
  });

  test('a user\'s roles and center: concurrent changes answer 200 or 409 and leave one of them', async () => {
    const u = await createUser(t.ctx.db, { roles: ['operator'], centerCode: CENTER });
    const changes = Array.from({ length: N }, (_, i) => ({ roles: i % 2 ? ['operator'] : ['operator', 'center_manager'], displayName: `Name ${i}` }));
    await together(changes.map((c) => () => t.as(admin, 'PATCH', `/api/admin/users/${u.user_id}`, c)));
    const row = await t.ctx.db.selectFrom('users').select(['roles', 'display_name']).where('user_id', '=', u.user_id).executeTakeFirstOrThrow();
    assert.ok(changes.some((c) => JSON.stringify(c.roles) === JSON.stringify(row.roles) && c.displayName === row.display_name), 'the user is one change, whole');
  });
});
