import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { body } from '../../test/app.ts';
import { CENTER, createQueueTestApp, MORNING, SVC, type QueueTestApp } from './test-kit.ts';

let t: QueueTestApp;
before(async () => { t = await createQueueTestApp(); });
after(() => t.close());

const kiosk = (lang = 'az') => t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode: SVC.ref }, { 'accept-language': lang });

describe('tickets only while the center is open (issue 9)', () => {
  test('after closing and before opening the kiosk refuses with the hours, in the reader\'s language', async () => {
    t.setNow('2026-11-24T14:30:00Z'); // 18:30 in Baku, a Tuesday
    const late = await kiosk('ru');
    assert.equal(late.statusCode, 409, late.body);
    const b = body<{ code: string; message: string }>(late);
    assert.equal(b.code, 'CENTER_CLOSED');
    assert.match(b.message, /закрыт.*09:00–18:00/);
    t.setNow('2026-11-24T04:59:00Z'); // 08:59
    assert.equal(body<{ code: string }>(await kiosk()).code, 'CENTER_CLOSED');
    t.setNow('2026-11-24T13:59:00Z'); // 17:59: still open
    assert.equal((await kiosk()).statusCode, 201);
    // a volunteer's tablet is refused the same way
    t.setNow('2026-11-24T14:00:00Z');
    const staff = await t.token('operator');
    assert.equal(body<{ code: string }>(await t.as(staff, 'POST', `/api/queue/centers/${CENTER}/tickets`, { serviceCode: SVC.ref })).code, 'CENTER_CLOSED');
    t.setNow(MORNING);
  });

  test('a Sunday and a public holiday are closed; a Saturday the holiday file makes a working day is open', async () => {
    t.setNow('2026-11-29T07:00:00Z'); // Sunday 11:00
    assert.equal(body<{ code: string }>(await kiosk('en')).code, 'CENTER_CLOSED_TODAY');
    t.setNow('2026-11-09T07:00:00Z'); // State Flag Day (a Monday), 11:00
    assert.equal(body<{ code: string }>(await kiosk()).code, 'CENTER_CLOSED_TODAY');
    t.setNow('2024-11-16T07:00:00Z'); // a working Saturday in the holiday file, 11:00
    const r = await kiosk();
    assert.equal(r.statusCode, 201, r.body);
    t.setNow(MORNING);
  });
});
