import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getService, row, submitAsCitizen, visible, type Harness } from './support.ts';
import { issueTicket, openConsole, secondOperator, signInAs, useQueueHarness } from './queue-kit.ts';

let h: Harness;
useQueueHarness((x) => (h = x));

test('the operator calls the next ticket, sees the citizen and their open applications, serves and finishes', async () => {
  const reference = await submitAsCitizen(h, await getService(h.srv, h.srv.demo.serviceCode));
  const issued = await issueTicket(h, { citizenId: h.srv.demo.citizenId });

  const page = await h.newPage();
  await h.signIn(page, 'operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Window console' }).click();
  await visible(page.getByRole('heading', { name: 'Window console', level: 1 }));
  await page.getByLabel(/^Window$/).selectOption('1');
  await page.getByRole('button', { name: 'Call next' }).click();

  const ticket = page.getByRole('region', { name: 'Current ticket' });
  await visible(ticket.getByTestId('current-ticket').getByText(issued.ticket.number));
  await visible(ticket.getByText('Called'));
  const citizen = page.getByRole('region', { name: 'Citizen', exact: true });
  await visible(citizen.getByText('Həsənova Günay Elçin qızı'), 'the citizen called');
  await visible(row(page.getByRole('region', { name: 'Open applications' }), reference), 'open application');
  await page.screenshot({ path: '/tmp/operator-console.png', fullPage: true });

  await ticket.getByRole('button', { name: 'Start serving' }).click();
  await visible(ticket.getByText('Being served'));
  // Applying on the citizen's behalf goes to the existing front-office form.
  const onBehalf = page.getByRole('region', { name: 'Apply on behalf' });
  await onBehalf.getByLabel(/^Service/).selectOption(h.srv.demo.serviceCode);
  await onBehalf.getByRole('button', { name: 'Start application' }).click();
  await page.waitForURL(`**/operator/citizens/${h.srv.demo.citizenId}/apply/${h.srv.demo.serviceCode}`);
  await visible(page.getByText('Applying on behalf of a citizen'));

  // Back at the console, the window still holds the ticket being served.
  await page.goBack();
  await visible(ticket.getByTestId('current-ticket').getByText(issued.ticket.number));
  await visible(ticket.getByText('Being served'));
  await ticket.getByRole('button', { name: 'Finish' }).click();
  await visible(page.getByRole('status').filter({ hasText: `Ticket ${issued.ticket.number}: Done` }));
  await visible(page.getByRole('button', { name: 'Call next' }));

  // Nobody else is waiting.
  await page.getByRole('button', { name: 'Call next' }).click();
  await visible(page.getByText('Nobody is waiting for this window.'));
});

test('recall, transfer to another window, and no-show', async () => {
  const a = await issueTicket(h);
  const page = await h.newPage();
  await h.signIn(page, 'operator');
  await openConsole(page, 2);
  await page.getByRole('button', { name: 'Call next' }).click();
  const ticket = page.getByRole('region', { name: 'Current ticket' });
  await visible(ticket.getByText(a.ticket.number));
  await ticket.getByRole('button', { name: 'Recall' }).click();
  await visible(ticket.getByText('Recalls'), 'recall counted');

  // Transfer to window 3: the ticket leaves window 2 and window 3 gets it next.
  await ticket.getByLabel('To window').fill('3');
  await ticket.getByRole('button', { name: 'Transfer' }).click();
  await visible(page.getByRole('status').filter({ hasText: `Ticket ${a.ticket.number}: Waiting` }));
  await openConsole(page, 3);
  await page.getByRole('button', { name: 'Call next' }).click();
  await visible(ticket.getByTestId('current-ticket').getByText(a.ticket.number));
  await ticket.getByRole('button', { name: 'No-show' }).click();
  await visible(page.getByRole('status').filter({ hasText: `Ticket ${a.ticket.number}: No-show` }));
});

test('two operators calling next at once in two browsers get different tickets', async () => {
  const t1 = await issueTicket(h);
  const t2 = await issueTicket(h);
  const other = await secondOperator(h);
  const p1 = await h.newPage();
  const p2 = await h.newPage();
  await h.signIn(p1, 'operator');
  await signInAs(p2, other);
  await openConsole(p1, 4);
  await openConsole(p2, 5);

  await Promise.all([p1.getByRole('button', { name: 'Call next' }).click(), p2.getByRole('button', { name: 'Call next' }).click()]);
  const n1 = (await (await visible(p1.getByTestId('current-ticket'))).first().textContent())?.trim();
  const n2 = (await (await visible(p2.getByTestId('current-ticket'))).first().textContent())?.trim();
  assert.notEqual(n1, n2, 'one ticket called to two windows');
  assert.deepEqual([n1, n2].sort(), [t1.ticket.number, t2.ticket.number].sort());
});
