import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exactLabel, row, startHarness, visible, type Harness } from './support.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
  // The demo household (2 people) earns 700 AZN a month: above 2 × 300, below 2 × 400.
  const db = h.srv.app.ctx.db;
  const member = await db.selectFrom('household_members').select('household_id').where('citizen_id', '=', h.srv.demo.citizenId).executeTakeFirstOrThrow();
  await db
    .insertInto('household_income_declarations')
    .values({ household_id: member.household_id, declared_on: '2026-01-01', monthly_income_azn: 700, source: 'e2e' })
    .execute();
});
after(async () => {
  await h?.close();
});

test('an officer explores the rules: versions, effective dates, conditions and dated parameters', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'officer');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rules' }).click();
  await visible(page.getByRole('heading', { name: 'Rules explorer', level: 1 }));
  // Every benefit of the issue is there.
  for (const name of ['Childbirth allowance', 'Funeral allowance', 'Targeted social assistance', 'Unemployment insurance payment']) {
    await visible(page.getByRole('button', { name: new RegExp(name) }), name);
  }
  await page.getByRole('button', { name: /Targeted social assistance/ }).click();
  const version = page.getByRole('region', { name: 'Version 1' }).filter({ hasText: 'need_criterion' });
  await visible(version.getByRole('heading', { name: /Version 1 · in force \d\d\/\d\d\/\d{4} – …/ }));
  const params = version.getByRole('table', { name: 'Parameters in force' });
  await visible(row(params, 'need_criterion').getByText(/since 01\/01\/2026: 300 AZN/));
  // An officer does not get the simulator.
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'What if' }).count(), 0);
});

test('an analyst raises the need criterion and sees gainers, cost and a chart by region', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'analyst');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'What if' }).click();
  await visible(page.getByRole('heading', { name: 'What if: parameter simulator', level: 1 }));
  await page.getByLabel(exactLabel('Parameter')).selectOption('need_criterion');
  await page.getByLabel(/^New value/).fill('400');
  await page.getByLabel(exactLabel('From')).fill('2026-12-01');
  await page.getByRole('button', { name: 'Simulate' }).click();

  const result = page.getByRole('region', { name: /need_criterion from 01\/12\/2026: 300 → 400/ });
  await visible(result);
  const gainers = Number((await result.getByTestId('sim-gainers').textContent())?.trim());
  assert.ok(gainers >= 1, `gainers: ${gainers}`);
  assert.equal((await result.getByTestId('sim-losers').textContent())?.trim(), '0');
  assert.notEqual((await result.getByTestId('sim-cost').textContent())?.trim(), '0.00 ₼');

  const byRegion = page.getByRole('region', { name: 'Gainers and losers by region' });
  const chart = byRegion.getByRole('img', { name: /Gainers and losers by region: .*\+\d+/ });
  await visible(chart, 'the chart');
  await visible(byRegion.getByRole('row').nth(1));
  await visible(row(page.getByRole('region', { name: 'By benefit' }), 'targeted_social_assistance'));
  await page.screenshot({ path: '/tmp/simulator.png', fullPage: true });
});
