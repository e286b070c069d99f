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

test('a citizen applies from the service passport and follows the application', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'citizen');
  await page.goto(`/services/${service.code}`);
  await visible(page.getByRole('heading', { name: service.name.en, level: 1 }));
  await page.getByRole('link', { name: 'Apply' }).click();
  await page.waitForURL(`**/services/${service.code}/apply`);

  // Required fields are checked in the browser before anything is sent.
  const required = service.form.fields.filter((f) => f.required && !f.prefill);
  assert.ok(required.length > 0, 'the demo service has a required field');
  await page.getByRole('button', { name: 'Submit application' }).click();
  await visible(page.getByText(/^(Required|Must be checked)$/), 'client-side required message');

  // Prefilled registry fields are shown read-only.
  for (const f of service.form.fields.filter((x) => x.prefill)) {
    const input = page.getByLabel(exactLabel(f.label.en));
    assert.equal(await input.getAttribute('readonly'), '', `${f.name} is read-only`);
  }

  await fillServiceForm(page, service);
  await page.getByRole('button', { name: 'Submit application' }).click();
  await visible(page.getByRole('heading', { name: 'Application submitted' }));
  const reference = (await page.getByTestId('reference').textContent())?.trim() ?? '';
  assert.match(reference, /^DOST-\d{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);

  await page.getByRole('link', { name: 'View application' }).click();
  await page.waitForURL(`**/my/applications/${reference}`);
  await visible(page.getByRole('heading', { name: service.name.en, level: 1 }));
  const history = page.getByRole('list', { name: 'Application history' });
  await visible(history.getByRole('listitem').filter({ hasText: 'Submitted' }), 'timeline entry');
  await visible(page.getByText(/working days? left/), 'SLA clock');
  await visible(page.getByRole('button', { name: 'Withdraw application' }));

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My applications' }).click();
  await visible(page.getByRole('heading', { name: 'My applications', level: 1 }));
  const r = row(page, reference);
  await visible(r, 'application row');
  await visible(r.getByText('Submitted'));
  await visible(r.getByText(service.name.en));
});

test('a citizen withdraws an application', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'citizen');
  await page.goto(`/services/${service.code}/apply`);
  await fillServiceForm(page, service);
  await page.getByRole('button', { name: 'Submit application' }).click();
  await page.getByRole('link', { name: 'View application' }).click();
  await page.getByRole('button', { name: 'Withdraw application' }).click();
  const dialog = page.getByRole('dialog', { name: 'Withdraw application?' });
  await dialog.getByRole('button', { name: 'Yes, withdraw' }).click();
  await visible(page.getByText('Withdrawn').first(), 'withdrawn status');
  await visible(page.getByRole('list', { name: 'Application history' }).getByRole('listitem').filter({ hasText: 'Withdrawn' }));
  assert.equal(await page.getByRole('button', { name: 'Withdraw application' }).count(), 0);
});
