import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exactLabel, startHarness, visible, type Harness } from './support.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

test('a wrong password is refused with a message and no session', async () => {
  const page = await h.newPage();
  await page.goto('/login');
  await page.getByLabel(exactLabel('Username')).fill(h.srv.logins.citizen.username);
  await page.getByLabel(exactLabel('Password')).fill('definitely-not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = await visible(page.getByRole('alert').filter({ hasText: 'Wrong username or password' }), 'credentials error');
  assert.ok(await alert.isVisible());
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
});

test('empty fields are flagged before anything is sent', async () => {
  const page = await h.newPage();
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page.getByText('Required'), 'required messages');
  assert.equal(await page.getByText('Required').count(), 2);
});

test('a citizen signs in, lands on the catalog and can sign out', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'citizen');
  assert.equal(new URL(page.url()).pathname, '/');
  await visible(page.getByRole('heading', { name: 'Services', level: 1 }));
  await visible(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My applications' }));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname === '/login');
  await visible(page.getByRole('link', { name: 'Sign in' }));
  // The session is gone: a citizen page sends us back to sign in.
  await page.goto('/my/applications');
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/my/applications');
});

test('staff land on their role home', async () => {
  for (const [role, path] of [
    ['officer', '/officer'],
    ['operator', '/operator'],
    ['admin', '/admin/users'],
  ] as const) {
    const page = await h.newPage();
    await h.signIn(page, role);
    assert.equal(new URL(page.url()).pathname, path, role);
    await page.context().close();
  }
});
