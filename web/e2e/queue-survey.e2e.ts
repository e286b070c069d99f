import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness, visible, type Harness } from './support.ts';
import { CENTER, drainQueue, issueTicket, openingHours } from './queue-kit.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
  openingHours(h);
  await drainQueue(h);
});
after(async () => {
  await h?.close();
});

test('after the visit the citizen rates it 1–5 with a comment by the link; only once', async () => {
  const issued = await issueTicket(h);
  const op = await h.api('operator');
  const called = await op.call<{ ticket: { id: number } }>('POST', `/api/queue/centers/${CENTER}/windows/11/call-next`);
  await op.call('POST', `/api/queue/tickets/${called.body.ticket.id}/serve`, {});
  await op.call('POST', `/api/queue/tickets/${called.body.ticket.id}/finish`, {});

  const page = await h.newPage();
  await page.goto(`/queue/survey/${issued.surveyToken}`);
  await visible(page.getByRole('heading', { name: 'How did we do?', level: 1 }));
  await visible(page.getByRole('heading', { name: `Ticket ${issued.ticket.number}` }));

  // A rating is required.
  await page.getByRole('button', { name: 'Send' }).click();
  await visible(page.getByText('Choose a rating from 1 to 5'));

  await page.getByRole('radio', { name: '4 — good' }).check();
  await page.getByText('Was the waiting time acceptable?').waitFor();
  await page.getByRole('radiogroup', { name: 'Was the waiting time acceptable?' }).getByText('Yes').click();
  await page.getByLabel('Comment (optional)').fill('Polite and quick.');
  await page.getByRole('button', { name: 'Send' }).click();
  await visible(page.getByRole('status').filter({ hasText: 'Thank you!' }));

  // Opening the link again says it was answered; the API refuses a second answer.
  await page.reload();
  await visible(page.getByRole('status').filter({ hasText: `Your rating of ticket ${issued.ticket.number} is recorded.` }));
  const again = await fetch(`${h.srv.url}/api/queue/surveys/${issued.surveyToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rating: 1 }),
  });
  assert.equal(again.status, 409);

  const mgr = await h.api('center_manager');
  const report = await mgr.call<{ total: { ratings: number; avgRating: number } }>('GET', `/api/queue/centers/${CENTER}/report?date=2026-11-24`);
  assert.equal(report.body.total.ratings, 1);
  assert.equal(report.body.total.avgRating, 4);
});

test('an unknown survey link says so', async () => {
  const page = await h.newPage();
  await page.goto('/queue/survey/unknown-token-0000000000');
  await visible(page.getByRole('alert'));
});
