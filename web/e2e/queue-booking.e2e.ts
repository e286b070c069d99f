import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exactLabel, startHarness, visible, type Harness } from './support.ts';
import { openingHours, PENSION_CERT } from './queue-kit.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
  openingHours(h);
});
after(async () => {
  await h?.close();
});

test('a citizen books a visit at the nearest center, gets a code, moves it and cancels it', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'citizen');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Book a visit' }).click();
  await visible(page.getByRole('heading', { name: 'Book a visit to a DOST center', level: 1 }));
  await page.getByLabel(exactLabel('Service')).selectOption(PENSION_CERT.code);
  await page.getByLabel(exactLabel('Date')).fill('2026-11-24');
  await page.getByRole('button', { name: 'Find free times' }).click();

  const slots = page.getByRole('region', { name: 'Centers and free times' });
  // Nearest first: the center serving the citizen's district (Yasamal).
  const first = slots.getByRole('region').first();
  await visible(first);
  assert.equal(await first.getAttribute('aria-label'), 'Baku DOST Center No. 1');
  await visible(first.getByText('Serves your district'));
  await first.getByRole('button', { name: '10:30' }).click();
  await page.getByRole('button', { name: 'Book', exact: true }).click();

  await visible(page.getByRole('heading', { name: 'Appointment', level: 1 }));
  assert.match(new URL(page.url()).pathname, /^\/queue\/appointments\/[A-Z0-9]{8}$/);
  await visible(page.getByRole('status').filter({ hasText: 'Booked' }));
  const code = (await page.getByTestId('confirmation').textContent())?.trim() ?? '';
  assert.match(code, /^[A-Z0-9]{8}$/);
  await visible(page.getByTestId('starts-at').getByText('10:30'));

  // The booking page lists the citizen's own appointments, with a link to cancel or move.
  await page.goto('/queue/book');
  const mine = page.getByRole('region', { name: 'Your appointments' });
  const upcoming = mine.getByTestId('my-upcoming');
  const booked = upcoming.getByRole('row').filter({ hasText: code });
  await visible(booked);
  await visible(booked.getByText('Baku DOST Center No. 1'));
  await visible(booked.getByText(PENSION_CERT.name));
  await visible(booked.getByText('10:30'));
  await visible(booked.getByText('Booked', { exact: true }));
  await booked.getByRole('link', { name: `Cancel or move appointment ${code}` }).click();
  await visible(page.getByRole('heading', { name: 'Appointment', level: 1 }));
  assert.equal(new URL(page.url()).pathname, `/queue/appointments/${code}`);

  // Move to 11:40 the same day: the code stays.
  await page.getByRole('button', { name: 'Move' }).click();
  const move = page.getByRole('region', { name: 'Choose a new time' });
  await move.getByRole('region', { name: 'Baku DOST Center No. 1' }).getByRole('button', { name: '11:40' }).click();
  await move.getByRole('button', { name: 'Move to this time' }).click();
  await visible(page.getByTestId('starts-at').getByText('11:40'));
  assert.equal((await page.getByTestId('confirmation').textContent())?.trim(), code);

  await page.getByRole('button', { name: 'Cancel appointment' }).click();
  await visible(page.getByText('Cancelled', { exact: true }));
  assert.equal(await page.getByRole('button', { name: 'Move' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Cancel appointment' }).count(), 0);

  // Back on the booking page it is no longer upcoming but listed as cancelled.
  await page.goto('/queue/book');
  await visible(page.getByTestId('my-recent').getByRole('row').filter({ hasText: code }).getByText('Cancelled', { exact: true }));
  assert.equal(await page.getByTestId('my-upcoming').getByRole('row').filter({ hasText: code }).count(), 0);

  // The code shows the cancelled appointment to anyone who has it.
  const res = await fetch(`${h.srv.url}/api/queue/appointments/${code}`);
  assert.equal(((await res.json()) as { status: string }).status, 'cancelled');
});
