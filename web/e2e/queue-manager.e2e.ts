import assert from 'node:assert/strict';
import { test } from 'node:test';
import { row, visible, type Harness } from './support.ts';
import { CENTER, issueTicket, PENSION_CERT, useQueueHarness } from './queue-kit.ts';

let h: Harness;
useQueueHarness((x) => (h = x));

test('the manager sees the hall live, closes and reopens a window and changes its skills', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'center_manager');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hall' }).click();
  await visible(page.getByRole('heading', { name: /Live hall/, level: 1 }));
  await visible(page.getByRole('status').filter({ hasText: 'Live' }));
  const waiting = page.getByTestId('hall-waiting');
  await visible(waiting);
  assert.equal((await waiting.textContent())?.trim(), '0');

  // A ticket issued elsewhere shows up without reloading (SSE).
  const issued = await issueTicket(h);
  await visible(page.getByTestId('hall-waiting').getByText('1', { exact: true }), 'waiting count updated live');
  await visible(row(page.getByRole('region', { name: 'Queue' }), issued.ticket.number));

  // Close window 12.
  const windows = page.getByRole('region', { name: 'Windows' });
  const open12 = windows.getByRole('switch', { name: 'Window 12 open' });
  assert.ok(await open12.isChecked());
  const openBefore = (await page.getByTestId('hall-windowsOpen').textContent())?.trim() ?? '';
  await open12.click({ force: true });
  await visible(row(windows, '12').getByText('Closed'));
  const total = openBefore.split('/')[1]!.trim();
  await visible(page.getByTestId('hall-windowsOpen').getByText(`${Number(openBefore.split('/')[0]) - 1} / ${total}`));
  await open12.click({ force: true });
  await visible(page.getByTestId('hall-windowsOpen').getByText(openBefore));

  // Give window 12 a single skill.
  await windows.getByRole('button', { name: 'Skills of window 12' }).click();
  const dialog = page.getByRole('dialog', { name: 'Skills of window 12' });
  await visible(dialog);
  const input = dialog.getByLabel('Skills', { exact: true });
  // Clear every skill, then pick one.
  await dialog.getByRole('button', { name: 'Remove all skills' }).click();
  await input.fill('receiving a pension');
  await page.getByRole('option', { name: new RegExp(PENSION_CERT.code) }).click();
  await dialog.getByRole('heading', { name: 'Skills of window 12' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await visible(row(windows, '12').getByText('1 services'), 'skills changed');

  const mgr = await h.api('center_manager');
  const ws = await mgr.call<{ windowNo: number; skills: string[] }[]>('GET', `/api/queue/centers/${CENTER}/windows`);
  assert.deepEqual(ws.body.find((w) => w.windowNo === 12)?.skills, [PENSION_CERT.code]);
});

test('the daily report shows served tickets, waits, no-shows and satisfaction, per service and per operator', async () => {
  // One served ticket, rated 5.
  const issued = await issueTicket(h);
  const op = await h.api('operator');
  const called = await op.call<{ ticket: { id: number } }>('POST', `/api/queue/centers/${CENTER}/windows/9/call-next`);
  assert.equal(called.status, 200);
  await op.call('POST', `/api/queue/tickets/${called.body.ticket.id}/serve`, {});
  await op.call('POST', `/api/queue/tickets/${called.body.ticket.id}/finish`, {});
  const rated = await fetch(`${h.srv.url}/api/queue/surveys/${issued.surveyToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rating: 5 }),
  });
  assert.equal(rated.status, 201);

  const page = await h.newPage();
  await h.signIn(page, 'center_manager');
  await page.goto('/queue/report?date=2026-11-24');
  await visible(page.getByRole('heading', { name: 'Daily report', level: 1 }));
  const total = page.getByRole('region', { name: 'Total for 2026-11-24' });
  await visible(total.getByRole('columnheader', { name: 'P90 wait, min' }));
  await visible(total.getByRole('cell', { name: '100.0 %' }), 'satisfaction');
  await visible(row(page.getByRole('region', { name: 'By service' }), PENSION_CERT.code));
  // Operators by name, not by id.
  const { display_name: operatorName } = await h.srv.app.ctx.db.selectFrom('users').select('display_name')
    .where('username', '=', h.srv.logins.operator.username).executeTakeFirstOrThrow();
  await visible(page.getByRole('region', { name: 'By operator' }).getByRole('cell', { name: operatorName, exact: true }));
});
