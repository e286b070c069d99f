import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createUser, findApplicableService } from '../../test/factories.ts';
import type { FieldOut } from '../catalog/index.ts';
import { sampleAnswers } from './sample-answers.ts';
import { newReference, REFERENCE_ALPHABET, REFERENCE_UNIQUE } from './repository.ts';
import { withUniqueReference } from './service.ts';

// Issue 8: references cannot be counted through, someone else's application answers as a missing
// one, and a citizen's own view never names the officer.

let t: TestApp;
let citizen: Record<string, string>;
let other: Record<string, string>;
let officer: Record<string, string>;
let officerUser: { user_id: string; display_name?: string };
let serviceCode: string;
const OFFICER_NAME = 'Rəşad Officerov';

const submit = async (headers: Record<string, string>) => {
  const f = body<{ form: { fields: FieldOut[] } }>(await t.app.inject({ url: `/api/catalog/services/${serviceCode}` })).form.fields;
  const r = await t.app.inject({ method: 'POST', url: '/api/applications', headers: { ...headers, 'idempotency-key': crypto.randomUUID() }, payload: { serviceCode, data: sampleAnswers(f) } });
  assert.equal(r.statusCode, 201, r.body);
  return body<{ reference: string }>(r).reference;
};

before(async () => {
  t = await createTestApp();
  t.setNow('2026-11-02T06:00:00Z');
  const db = t.ctx.db;
  const c = await createCitizen(db);
  const o = await createCitizen(db);
  const u = await createUser(db, { roles: ['citizen'], citizenId: c.citizen_id });
  const uo = await createUser(db, { roles: ['citizen'], citizenId: o.citizen_id });
  const off = await createUser(db, { roles: ['officer'], displayName: OFFICER_NAME });
  officerUser = off;
  citizen = await t.login(u.username, u.password);
  other = await t.login(uo.username, uo.password);
  officer = await t.login(off.username, off.password);
  serviceCode = (await findApplicableService(db)).service_code;
});
after(() => t.close());

describe('application references', () => {
  test('are random DOST-<year>-XXXX-XXXX from an alphabet without look-alikes, not a sequence', async () => {
    const refs = [await submit(citizen), await submit(citizen), await submit(citizen)];
    for (const r of refs) assert.match(r, /^DOST-2026-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    assert.equal(new Set(refs).size, 3);
    assert.doesNotMatch(REFERENCE_ALPHABET, /[IO01]/);
    assert.equal(new Set(REFERENCE_ALPHABET).size, 32);
  });

  test('a collision with an existing reference is drawn again', async () => {
    const taken = await submit(citizen);
    const symbols = taken.slice(10).replace('-', '').split('').map((ch) => REFERENCE_ALPHABET.indexOf(ch));
    // The first draw repeats the taken reference, the second is fresh.
    const seq = [...symbols, ...Array.from({ length: 8 }, () => 0)];
    let i = 0;
    const tries: string[] = [];
    const made = await withUniqueReference(2026, async (ref) => {
      tries.push(ref);
      const exists = await t.ctx.db.selectFrom('applications').select('reference').where('reference', '=', ref).executeTakeFirst();
      if (exists) throw Object.assign(new Error('duplicate key'), { code: '23505', constraint: REFERENCE_UNIQUE });
      return ref;
    }, () => seq[i++]!);
    assert.deepEqual(tries, [taken, 'DOST-2026-AAAA-AAAA']);
    assert.equal(made, 'DOST-2026-AAAA-AAAA');
    assert.match(newReference(2027), /^DOST-2027-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  });

  test('references made before stay valid in the API (sequential form)', async () => {
    const r = await t.app.inject({ url: '/api/applications/DOST-2026-0000042', headers: citizen });
    assert.equal(r.statusCode, 404, 'a well-formed old reference is looked up, not refused as malformed');
  });
});

describe('someone else\'s application answers exactly like one that does not exist', () => {
  test('read and act: 404 NOT_FOUND with the same message as a missing reference', async () => {
    const ref = await submit(citizen);
    const missing = 'DOST-2026-ZZZZ-ZZZZ';
    const pairs = [
      [await t.app.inject({ url: `/api/applications/${ref}`, headers: other }), await t.app.inject({ url: `/api/applications/${missing}`, headers: other })],
      [
        await t.app.inject({ method: 'POST', url: `/api/applications/${ref}/actions`, headers: other, payload: { action: 'withdraw' } }),
        await t.app.inject({ method: 'POST', url: `/api/applications/${missing}/actions`, headers: other, payload: { action: 'withdraw' } }),
      ],
    ];
    for (const [theirs, none] of pairs) {
      assert.equal(theirs!.statusCode, 404, theirs!.body);
      assert.equal(none!.statusCode, 404);
      const a = body<{ code: string; message: string; details: unknown[] }>(theirs!);
      const b = body<{ code: string; message: string; details: unknown[] }>(none!);
      assert.deepEqual({ ...a, message: a.message.replace(ref, 'REF') }, { ...b, message: b.message.replace(missing, 'REF') });
    }
  });
});

describe('a citizen\'s view of their application never names the officer', () => {
  test('no officer id or name in the citizen\'s application or list; staff still see them', async () => {
    const ref = await submit(citizen);
    const act = (payload: object) => t.app.inject({ method: 'POST', url: `/api/applications/${ref}/actions`, headers: officer, payload });
    assert.equal((await act({ action: 'assign', data: { assigneeId: officerUser.user_id } })).statusCode, 200);
    assert.equal((await act({ action: 'start_review' })).statusCode, 200);
    assert.equal((await act({ action: 'request_info', comment: 'Bring the certificate' })).statusCode, 200);
    const own = await t.app.inject({ url: `/api/applications/${ref}`, headers: citizen });
    const mine = await t.app.inject({ url: '/api/applications/mine', headers: citizen });
    const provided = await t.app.inject({ method: 'POST', url: `/api/applications/${ref}/actions`, headers: citizen, payload: { action: 'provide_info', comment: 'Attached' } });
    for (const r of [own, mine, provided]) {
      assert.equal(r.statusCode, 200, r.body);
      assert.ok(!r.body.includes(officerUser.user_id), 'no officer id');
      assert.ok(!r.body.includes(OFFICER_NAME), 'no officer name');
    }
    const app = body<{ assignedTo: null; assignedToName: null; actions: { actorRole: string; actorName: string | null }[] }>(own);
    assert.equal(app.assignedTo, null);
    assert.equal(app.assignedToName, null);
    assert.ok(app.actions.some((a) => a.actorRole === 'officer' && a.actorName === null), 'the role is shown instead');
    const staff = await t.app.inject({ url: `/api/applications/${ref}`, headers: officer });
    const s = body<{ assignedTo: string; assignedToName: string }>(staff);
    assert.equal(s.assignedTo, officerUser.user_id);
    assert.equal(s.assignedToName, OFFICER_NAME);
  });
});
