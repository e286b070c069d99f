import { bakuDate } from '../../src/platform/calendar.ts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exactLabel, row, startHarness, visible, type Harness } from './support.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

test('an admin creates a user, edits it, and the new user can sign in', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'admin');
  await visible(page.getByRole('heading', { name: 'Users', level: 1 }));
  const username = `e2e.officer.${Date.now().toString(36)}`;

  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await visible(dialog.getByText('Choose at least one role'), 'client-side validation');

  await dialog.getByLabel(exactLabel('Username')).fill(username);
  await dialog.getByLabel(exactLabel('Display name')).fill('E2E Officer');
  await dialog.getByLabel(exactLabel('Password')).fill('a-long-e2e-password');
  await dialog.getByRole('group', { name: 'Roles' }).getByLabel(exactLabel('Officer')).check();
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await visible(page.getByRole('status').filter({ hasText: `User ${username} created.` }));

  // The server's refusal is shown: the same username again is a conflict.
  await page.getByRole('button', { name: 'New user' }).click();
  await dialog.getByLabel(exactLabel('Username')).fill(username);
  await dialog.getByLabel(exactLabel('Display name')).fill('Someone else');
  await dialog.getByLabel(exactLabel('Password')).fill('another-long-password');
  await dialog.getByRole('group', { name: 'Roles' }).getByLabel(exactLabel('Analyst')).check();
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await visible(dialog.getByRole('alert').filter({ hasText: username }), 'conflict message');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });

  await page.getByLabel(exactLabel('Search users')).fill(username);
  const r = row(page, username);
  await visible(r, 'new user row');
  await visible(r.getByText('Officer'));
  await visible(r.getByText('Active'));

  await r.getByRole('button', { name: `Edit ${username}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${username}` });
  await edit.getByLabel(exactLabel('Display name')).fill('E2E Officer Renamed');
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.waitFor({ state: 'hidden' });
  await visible(row(page, username).getByText('E2E Officer Renamed'));

  // The new account works.
  const other = await h.newPage();
  await other.goto('/login');
  await other.getByLabel(exactLabel('Username')).fill(username);
  await other.getByLabel(exactLabel('Password')).fill('a-long-e2e-password');
  await other.getByRole('button', { name: 'Sign in' }).click();
  await other.waitForURL((url) => url.pathname === '/officer');
  await visible(other.getByText('E2E Officer Renamed'));

  // Disabling it is shown in the list.
  await row(page, username).getByRole('button', { name: `Edit ${username}` }).click();
  await edit.getByLabel(exactLabel('Disabled (cannot sign in)')).check();
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.waitFor({ state: 'hidden' });
  await visible(row(page, username).getByText('Disabled'));
});

test('an admin searches the audit log by FIN and by actor', async () => {
  // Reading a registry record is audited; make sure there is such a read to find.
  const operator = await h.api('operator');
  const found = await operator.call<{ items: { id: number }[] }>('GET', `/api/citizens?fin=${h.srv.demo.citizenFin}`);
  assert.equal(found.status, 200);

  const page = await h.newPage();
  await h.signIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await visible(page.getByRole('heading', { name: 'Audit log', level: 1 }));

  await page.getByLabel(exactLabel('FIN')).fill('BAD');
  await page.getByRole('button', { name: 'Search' }).click();
  await visible(page.getByText('A FIN is 7 characters'));

  await page.getByLabel(exactLabel('FIN')).fill(h.srv.demo.citizenFin);
  await page.getByLabel(exactLabel('Actor')).fill(h.srv.logins.operator.username);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL((url) => url.searchParams.get('fin') === h.srv.demo.citizenFin);
  const rows = page.getByRole('row').filter({ hasText: h.srv.logins.operator.username });
  await visible(rows, 'audit rows of the operator');
  await visible(rows.first().getByText(h.srv.demo.citizenFin));

  // The product's dates are Baku dates (UTC+4): after 20:00 UTC, the UTC date is a day behind.
  const today = bakuDate(new Date());
  await page.getByLabel(exactLabel('From')).fill('2000-01-01');
  await page.getByLabel(exactLabel('To')).fill('2000-01-31');
  await page.getByRole('button', { name: 'Search' }).click();
  await visible(page.getByText('No audit records match.'));
  await page.getByLabel(exactLabel('To')).fill(today);
  await page.getByRole('button', { name: 'Search' }).click();
  await visible(rows, 'rows again with a wide date range');
});
