import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { body } from '../../test/app.ts';
import { CENTER, createQueueTestApp, type QueueTestApp } from './test-kit.ts';
import * as service from './service.ts';
import * as repo from './repository.ts';

// Issue 8: the kiosk menu took 0.55 s alone and 2–3 s with 8 clients: it estimated the wait of
// each of its ~90 services with four queries apiece. Now it reads a center once for all services
// and reuses the menu until the center's next queue event (bench/kiosk-menu.ts measures it).

let t: QueueTestApp;
let manager: string;
before(async () => {
  t = await createQueueTestApp();
  manager = await t.token('center_manager');
});
after(() => t.close());

/** The context with a database handle that counts the statements run through it. */
function counting() {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => { n++; return args.node; },
    transformResult: async (args) => args.result,
  };
  return { ctx: { ...t.ctx, db: t.ctx.db.withPlugin(plugin) }, count: () => n };
}

type Menu = { serviceCode: string; waiting: number; openWindows: number; estimatedWaitMinutes: number | null }[];
const menu = async () => body<Menu>(await t.as(undefined, 'GET', `/api/queue/centers/${CENTER}/services`));
/** The menu once it shows what `ok` expects: a change may be served one rebuild late, never more. */
async function menuShowing(ok: (m: Menu) => boolean): Promise<Menu> {
  for (const deadline = Date.now() + 2000; ;) {
    const m = await menu();
    if (ok(m)) return m;
    if (Date.now() > deadline) assert.fail('the change never showed');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('kiosk menu', () => {
  test('a few statements whatever the number of services; one look-up while nothing changed', async () => {
    await menu(); // the center provisioned and cached
    const kiosk = await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode: (await menu())[0]!.serviceCode });
    assert.equal(kiosk.statusCode, 201);
    const fresh = counting();
    const m = await service.listCenterServices(fresh.ctx, CENTER);
    assert.ok(m.length > 20, `${m.length} services`);
    assert.ok(fresh.count() <= 8, `a new menu took ${fresh.count()} statements for ${m.length} services`);
    const again = counting();
    await service.listCenterServices(again.ctx, CENTER);
    assert.ok(again.count() <= 1, 'unchanged: at most the center\'s newest event id is read');
  });

  test('shows every change by the next rebuild: a ticket issued, a window closed (each a queue event)', async () => {
    const before = await menu();
    const s = before[0]!;
    const r = await t.as(undefined, 'POST', `/api/queue/centers/${CENTER}/kiosk/tickets`, { serviceCode: s.serviceCode });
    assert.equal(r.statusCode, 201);
    const after1 = (await menuShowing((m) => m.find((x) => x.serviceCode === s.serviceCode)!.waiting === s.waiting + 1)).find((x) => x.serviceCode === s.serviceCode)!;
    assert.equal((await t.as(manager, 'PATCH', `/api/queue/centers/${CENTER}/windows/1`, { isOpen: false })).statusCode, 200);
    await menuShowing((m) => m.find((x) => x.serviceCode === s.serviceCode)!.openWindows === after1.openWindows - 1);
    assert.equal((await t.as(manager, 'PATCH', `/api/queue/centers/${CENTER}/windows/1`, { isOpen: true })).statusCode, 200);
  });

  test('a change made by another API process (a queue event this one did not write) shows within a second', async () => {
    const s = (await menu())[0]!;
    // As another process would: a ticket and its event, written straight to the database.
    await t.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('queue_tickets').values({
        center_code: CENTER, service_date: '2026-11-24', number: 'X-901', service_code: s.serviceCode, priority: 'normal', channel: 'kiosk',
        queued_at: t.ctx.now(), issued_at: t.ctx.now(), survey_token: 'other-process-ticket-901',
      } as never).execute();
      await repo.insertEvent(trx, { center_code: CENTER, at: t.ctx.now(), kind: 'ticket.issued', ticket_id: null, window_no: null, user_id: null, payload: {} });
    });
    await new Promise((r) => setTimeout(r, 600));
    await menuShowing((m) => m.find((x) => x.serviceCode === s.serviceCode)!.waiting === s.waiting + 1);
  });

  test('the same estimate as estimateWait for each service', async () => {
    const m = await menu();
    for (const s of m.slice(0, 5)) {
      const e = await service.estimateWait(t.ctx.db, CENTER, s.serviceCode, 'normal', t.ctx.now());
      assert.equal(s.estimatedWaitMinutes, s.openWindows === 0 ? null : e.minutes, s.serviceCode);
    }
  });
});
