import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exactLabel, fillServiceForm, getService, row, startHarness, visible, type Harness, type ServiceDef } from './support.ts';

let h: Harness;
let service: ServiceDef;
before(async () => {
  h = await startHarness();
  service = await getService(h.srv, h.srv.demo.serviceCode);
});
after(async () => {
  await h?.close();
});

test('an operator finds a citizen by FIN and applies on their behalf', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'operator');
  await visible(page.getByRole('heading', { name: 'Find a citizen', level: 1 }));
  const fin = page.getByLabel(exactLabel('FIN'));

  // The FIN is checked in the browser: 7 characters, no I or O.
  await fin.fill('12OI');
  await page.getByRole('button', { name: 'Find' }).click();
  await visible(page.getByText('A FIN is 7 characters'), 'FIN format message');

  await fin.fill(h.srv.demo.citizenFin.toLowerCase());
  await page.getByRole('button', { name: 'Find' }).click();
  await page.waitForURL((url) => url.searchParams.get('fin') === h.srv.demo.citizenFin);
  const person = page.getByRole('region', { name: 'Person' });
  await visible(person.getByText(h.srv.demo.citizenFin).first(), 'the person');
  await visible(person.getByRole('heading', { name: 'Household' }));
  await visible(person.getByRole('heading', { name: 'Life events' }));

  const onBehalf = page.getByRole('region', { name: 'Apply on behalf' });
  await onBehalf.getByLabel(exactLabel('Service')).selectOption(service.code);
  await onBehalf.getByRole('button', { name: 'Start application' }).click();
  await page.waitForURL(`**/operator/citizens/${h.srv.demo.citizenId}/apply/${service.code}`);
  await visible(page.getByText('Applying on behalf of a citizen'));

  await fillServiceForm(page, service);
  await page.getByRole('button', { name: 'Submit application' }).click();
  await visible(page.getByRole('heading', { name: 'Application submitted' }));
  const reference = (await page.getByTestId('reference').textContent())?.trim() ?? '';
  assert.match(reference, /^DOST-\d{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);

  await page.getByRole('link', { name: 'View application' }).click();
  await page.waitForURL(`**/officer/cases/${reference}`);
  const status = page.getByRole('region', { name: 'Status and deadline' });
  await visible(status.getByText('Assisted'), 'assisted badge');
  await visible(status.getByText('DOST center'), 'submitted at a center');

  // Back on the citizen's page, the new application is listed as assisted.
  await page.goto(`/operator?fin=${h.srv.demo.citizenFin}`);
  const r = row(page.getByRole('region', { name: 'Applications' }), reference);
  await visible(r, 'application in the citizen list');
  await visible(r.getByText('Assisted'));
});

test('an unknown FIN says so', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'operator');
  await page.getByLabel(exactLabel('FIN')).fill('0000001');
  await page.getByRole('button', { name: 'Find' }).click();
  await visible(page.getByRole('alert').filter({ hasText: 'No person with FIN 0000001' }));
});
