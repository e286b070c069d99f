import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exactLabel, getService, startHarness, visible, type Harness, type ServiceDef } from './support.ts';

let h: Harness;
let service: ServiceDef;
before(async () => {
  h = await startHarness();
  service = await getService(h.srv, h.srv.demo.serviceCode);
});
after(async () => {
  await h?.close();
});

/** A distinctive word of a name to search for. */
const longestWord = (s: string) => s.split(/[\s,().«»"“”-]+/).sort((a, b) => b.length - a.length)[0] ?? s;

test('the catalog opens in Azerbaijani and searches by name', async () => {
  const page = await h.newPage(null);
  await page.goto('/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'az');
  await visible(page.getByRole('heading', { name: 'Xidmətlər', level: 1 }));
  const summary = page.getByRole('navigation', { name: 'Səhifələr' });
  await visible(summary);
  const totalBefore = await summary.textContent();

  await page.getByLabel(exactLabel('Xidmət axtar')).fill(longestWord(service.name.az));
  await visible(page.getByRole('link', { name: service.name.az, exact: true }), 'service found by search');
  await page.waitForFunction((before) => {
    const nav = document.querySelector('nav[aria-label="Səhifələr"]');
    return nav && nav.textContent !== before;
  }, totalBefore);
  assert.notEqual(await summary.textContent(), totalBefore, 'search narrows the list');

  await page.getByLabel(exactLabel('Xidmət axtar')).fill('zzzqqqxxx');
  await visible(page.getByText('Axtarışa uyğun xidmət tapılmadı.'));
});

test('the category filter lists only that category', async () => {
  const page = await h.newPage(null);
  const categories = (await (await fetch(`${h.srv.url}/api/catalog/categories`)).json()) as {
    items: { code: string; serviceCount: number; name: { az: string } }[];
  };
  const category = categories.items.find((c) => c.code === service.category);
  assert.ok(category, 'the demo service has a category');
  await page.goto('/services');
  await page.getByLabel(exactLabel('Kateqoriya')).selectOption(category.code);
  await page.waitForURL((url) => url.searchParams.get('category') === category.code);
  await visible(page.getByRole('link', { name: service.name.az, exact: true }));
  const expected = `${category.serviceCount} nəticədən`;
  await visible(page.getByText(expected), `summary "${expected}"`);
});

test('switching language to Russian and English translates the interface and the data', async () => {
  const page = await h.newPage(null);
  await page.goto(`/services?q=${encodeURIComponent(longestWord(service.name.az))}`);
  await visible(page.getByRole('link', { name: service.name.az, exact: true }));

  await page.getByRole('group', { name: 'Dil' }).getByRole('button', { name: 'Русский' }).click();
  await visible(page.getByRole('heading', { name: 'Услуги', level: 1 }));
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  await visible(page.getByRole('link', { name: service.name.ru, exact: true }), 'service name in Russian');
  assert.equal(await page.getByRole('button', { name: 'Русский' }).getAttribute('aria-pressed'), 'true');

  await page.getByRole('group', { name: 'Язык' }).getByRole('button', { name: 'English' }).click();
  await visible(page.getByRole('heading', { name: 'Services', level: 1 }));
  await visible(page.getByRole('link', { name: service.name.en, exact: true }), 'service name in English');

  // The passport is in English too, and the choice survives a reload.
  await page.getByRole('link', { name: service.name.en, exact: true }).click();
  await visible(page.getByRole('heading', { name: service.name.en, level: 1 }));
  await page.reload();
  await visible(page.getByRole('heading', { name: 'Documents' }));
  await visible(page.getByRole('link', { name: 'Apply' }));
});

test('an unknown page shows the 404 page', async () => {
  const page = await h.newPage();
  await page.goto('/no/such/page');
  await visible(page.getByRole('heading', { name: 'Page not found' }));
});
