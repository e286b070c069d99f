import assert from 'node:assert/strict';
import { test } from 'node:test';
import { visible, type Harness } from './support.ts';
import { CENTER, issueTicket, openConsole, useQueueHarness } from './queue-kit.ts';

let h: Harness;
useQueueHarness((x) => (h = x));

test('the display board shows, live, a ticket an operator calls, in Azerbaijani and Russian', async () => {
  const board = await h.newPage('en');
  await board.goto(`/queue/board/${CENTER}`);
  // The board speaks the hall's languages whatever the UI language.
  await visible(board.getByRole('heading', { name: /Bakı 1 nömrəli DOST Mərkəzi/, level: 1 }));
  await visible(board.getByRole('status').filter({ hasText: 'Canlı · В эфире' }), 'live stream');
  const nowCalling = board.getByRole('region', { name: 'Çağırılır · Вызывается' });
  await visible(nowCalling);

  const issued = await issueTicket(h);
  // The waiting count per letter updates from the ticket.issued event.
  await visible(board.getByRole('region', { name: 'Gözləyir · Ожидают' }).getByText('A: 1'));

  const operator = await h.newPage();
  await h.signIn(operator, 'operator');
  await openConsole(operator, 7);
  await operator.getByRole('button', { name: 'Call next' }).click();
  await visible(operator.getByTestId('current-ticket').getByText(issued.ticket.number));

  await visible(nowCalling.getByText(issued.ticket.number), 'called ticket on the board');
  await visible(nowCalling.getByText('7', { exact: true }), 'window on the board');
  await visible(board.getByRole('region', { name: 'Son çağırışlar · Последние вызовы' }).getByRole('row').filter({ hasText: issued.ticket.number }));
  assert.equal(await board.getByLabel(`Pəncərə · Окно 7: ${issued.ticket.number}`).count(), 1);
  await board.screenshot({ path: '/tmp/display-board.png' });
});

test('after the board goes offline and back, it shows the calls made meanwhile', async () => {
  const board = await h.newPage('az');
  await board.goto(`/queue/board/${CENTER}`);
  await visible(board.getByRole('status').filter({ hasText: 'Canlı · В эфире' }));
  // Drop the connection: the browser goes offline, a call happens, then it comes back.
  await board.context().setOffline(true);
  const issued = await issueTicket(h);
  const op = await h.api('operator');
  const r = await op.call<{ ticket: { number: string } }>('POST', `/api/queue/centers/${CENTER}/windows/8/call-next`);
  assert.equal(r.body.ticket.number, issued.ticket.number);
  await board.context().setOffline(false);
  await visible(board.getByRole('region', { name: 'Çağırılır · Вызывается' }).getByText(issued.ticket.number), 'caught up after reconnecting');
});
