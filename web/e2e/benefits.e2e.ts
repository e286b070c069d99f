import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { applyRule, benefitsOutboxHandlers, getRuleBook, todayOf } from '../../src/modules/benefits/index.ts';
import { createOutboxDispatcher } from '../../src/platform/outbox.ts';
import { createCitizen } from '../../src/test/factories.ts';
import { exactLabel, startHarness, visible, type Harness } from './support.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

/** Delivers the registry's life events to the benefit rules (the server's dispatcher runs only in `dost serve`). */
async function deliverEvents(): Promise<void> {
  const ctx = h.srv.app.ctx;
  await createOutboxDispatcher(ctx.db, benefitsOutboxHandlers(ctx.now)).drain();
}

test('a recorded birth shows up in the parent\'s "my benefits" with its reason, and "why?" explains it', async () => {
  const db = h.srv.app.ctx.db;
  const baby = await createCitizen(db, { first_name: 'Nuray', last_name: 'Həsənova', sex: 'F', birth_date: '2026-11-20' });
  const officer = await h.api('officer');
  const recorded = await officer.call(
    'POST',
    `/api/citizens/${baby.citizen_id}/life-events`,
    { type: 'birth', occurredOn: '2026-11-20', source: 'civil_registry', data: { motherCitizenId: h.srv.demo.citizenId } },
    { 'idempotency-key': crypto.randomUUID() },
  );
  assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
  await deliverEvents();

  const page = await h.newPage();
  await h.signIn(page, 'citizen');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My benefits' }).click();
  await visible(page.getByRole('heading', { name: 'My benefits', level: 1 }));
  const assigned = page.getByRole('region', { name: 'Assigned to you' });
  const card = assigned.getByRole('article', { name: 'Childbirth allowance' });
  await visible(card);
  await visible(card.getByText('600.00 ₼'));
  await visible(card.getByText('One-off payment'));
  await visible(card.getByText(/Law on Social Allowances/));
  await page.screenshot({ path: '/tmp/my-benefits.png', fullPage: true });
  const reason = (await card.locator('p').first().textContent()) ?? '';
  assert.ok(reason.length > 10, `a reason is shown: ${reason}`);

  // The reason comes in the citizen's language.
  await page.getByRole('button', { name: 'Русский' }).click();
  await visible(page.getByRole('heading', { name: 'Мои пособия', level: 1 }));
  // Wait for the Russian text itself: the heading switches before the list is fetched again in Russian.
  await visible(page.getByRole('region', { name: 'Назначено вам' }).getByText(/Назначено без заявления по данным реестра/).first(), 'the reason in Russian');
  await page.getByRole('button', { name: 'English' }).click();
  await visible(page.getByRole('heading', { name: 'My benefits', level: 1 }));

  // Why?
  await card.getByRole('link', { name: 'Why?' }).click();
  await visible(page.getByRole('heading', { name: 'Why? How the decision was made', level: 1 }));
  const subject = page.getByRole('region', { name: /^Case / }).first();
  await visible(subject.getByText('Eligible'));
  await visible(subject.getByText(/one-off payment, 20\/11\/2026/), 'a one-off payment is paid once, not over an open-ended period');
  const conditions = subject.getByRole('table', { name: 'Conditions' });
  await visible(conditions.getByRole('row').filter({ hasText: 'The person to receive the payment is known in the registry' }).getByText('Met'));
  await visible(conditions.getByText('Law on Social Allowances, art. 10').first());
  // The amount: its parameter in force, the date it took effect and where the figure comes from.
  const amount = subject.getByRole('region', { name: 'How the amount was worked out' });
  await visible(amount);
  await page.screenshot({ path: '/tmp/trace.png', fullPage: true });
  await visible(amount.getByText(/childbirth_allowance = 600 since 01\/07\/2025/), 'the parameter in force and its date');
  const source = amount.getByRole('link').first();
  await visible(source, 'a source of the figure');
  assert.match((await source.getAttribute('href')) ?? '', /^https:\/\//);
});

test('a targeted social assistance offer is confirmed in one step and becomes an assignment', async () => {
  const db = h.srv.app.ctx.db;
  const member = await db.selectFrom('household_members').select('household_id').where('citizen_id', '=', h.srv.demo.citizenId).executeTakeFirstOrThrow();
  await db
    .insertInto('household_income_declarations')
    .values({ household_id: member.household_id, declared_on: '2026-01-01', monthly_income_azn: 100, source: 'e2e' })
    .execute();
  const rb = await getRuleBook();
  await applyRule(db, rb, rb.byId.get('targeted_social_assistance')!, todayOf(h.srv.app.ctx));

  const page = await h.newPage();
  await h.signIn(page, 'citizen');
  await page.goto('/my/benefits');
  const offer = page.getByRole('region', { name: 'Offers to confirm' }).getByRole('article', { name: 'Targeted social assistance' });
  await visible(offer);
  await visible(offer.getByText('Awaiting your confirmation'));
  await visible(offer.getByText(/You qualify for this benefit/));
  await offer.getByRole('button', { name: 'Confirm' }).click();

  await visible(page.getByRole('region', { name: 'Assigned to you' }).getByRole('article', { name: 'Targeted social assistance' }));
  await visible(page.getByRole('region', { name: 'Offers to confirm' }).getByText('No offers waiting for you.'));
});

test('a 142 agent asks "why?" for a citizen by FIN', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'call_center_agent');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Why? (benefits)' }).click();
  await page.getByLabel(exactLabel('Citizen (FIN or id)')).fill(h.srv.demo.citizenFin);
  await page.getByLabel(exactLabel('Benefit')).selectOption('old_age_pension');
  await page.getByRole('button', { name: 'Explain' }).click();
  const subject = page.getByRole('region', { name: /^Case / }).first();
  await visible(subject.getByText('Not eligible'), 'a 38-year-old gets no old-age pension');
  await visible(subject.getByRole('table', { name: 'Conditions' }).getByText('Not met').first());
});
