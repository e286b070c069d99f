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

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const randomFin = () => Array.from({ length: 7 }, () => ALPHABET[Math.floor(Math.random() * ALPHABET.length)]).join('');

test('an admin imports a CSV with one bad row and sees the report', async () => {
  const regions = (await (await fetch(`${h.srv.url}/api/reference/regions`)).json()) as {
    items: { districts: { code: string }[] }[];
  };
  const district = regions.items[0]?.districts[0]?.code;
  assert.ok(district, 'a district code');
  const [fin1, fin2] = [randomFin(), randomFin()];
  const csv = [
    'fin,last_name,first_name,patronymic,birth_date,sex,district_code,address,phone,id_card_number',
    `${fin1},Əliyeva,Nigar,Vüqar qızı,1990-03-15,F,${district},Bakı,+994501112233,AA7654321`,
    `OOOOOOO,Həsənov,Rəşad,,1982-11-02,M,${district},,,`,
    `${fin2},Quliyev,Tural,Elçin oğlu,2001-07-30,M,${district},,,`,
    '',
  ].join('\n');

  const page = await h.newPage();
  await h.signIn(page, 'admin');
  await page.goto('/admin/import');
  await visible(page.getByRole('heading', { name: 'Import', level: 1 }));

  await page.getByRole('button', { name: 'Import' }).click();
  await visible(page.getByText('Choose a CSV file'), 'file is required');

  await page.getByLabel(exactLabel('CSV file')).setInputFiles({ name: 'citizens.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  assert.equal(await page.getByLabel(exactLabel('Skip invalid rows')).isChecked(), true);
  await page.getByRole('button', { name: 'Import' }).click();

  const report = page.getByRole('region', { name: 'Import report' });
  await visible(report.getByText('Imported: 2, rejected: 1'), 'import summary');
  const bad = row(page, 'fin_invalid');
  await visible(bad, 'the bad row in the report');
  assert.match((await bad.textContent()) ?? '', /^3/, 'reported on line 3 (the header is line 1)');

  // The good rows are in the registry now.
  const admin = await h.api('admin');
  for (const fin of [fin1, fin2]) {
    const r = await admin.call<{ items: unknown[] }>('GET', `/api/citizens?fin=${fin}`);
    assert.equal(r.body.items.length, 1, `${fin} imported`);
  }
});
