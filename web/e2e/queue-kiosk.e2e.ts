import assert from 'node:assert/strict';
import { test } from 'node:test';
import { visible, type Harness } from './support.ts';
import { CENTER, PENSION_CERT, serviceButton, useQueueHarness } from './queue-kit.ts';

let h: Harness;
useQueueHarness((x) => (h = x));

test('a walk-in picks a service at the kiosk and gets a numbered ticket with an estimated wait', async () => {
  const page = await h.newPage();
  await page.goto(`/queue/kiosk/${CENTER}`);
  await visible(page.getByRole('heading', { name: 'Take a ticket', level: 1 }));
  await page.screenshot({ path: '/tmp/kiosk.png' });

  await serviceButton(page, PENSION_CERT.name).click();
  const slip = page.getByRole('region', { name: 'Your ticket' });
  await visible(slip);
  const first = (await slip.getByTestId('ticket-number').textContent())?.trim() ?? '';
  assert.match(first, /^A-\d{3}$/);
  await visible(slip.getByText('People ahead of you: 0'));
  await visible(slip.getByText(/Estimated wait: \d+ min/));
  await visible(slip.getByRole('link', { name: 'rate the service' }));
  await page.screenshot({ path: '/tmp/kiosk-ticket.png' });

  // The next person, elderly, gets the next number and goes ahead of the standard ticket.
  await slip.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('radiogroup', { name: 'Priority' }).getByText('Elderly', { exact: true }).click();
  assert.ok(await page.getByRole('radio', { name: 'Elderly' }).isChecked());
  await page.getByRole('searchbox', { name: 'Search services' }).fill('pension');
  await serviceButton(page, PENSION_CERT.name).click();
  const second = (await page.getByTestId('ticket-number').textContent())?.trim() ?? '';
  assert.equal(second, `A-${String(Number(first.slice(2)) + 1).padStart(3, '0')}`);
  await visible(page.getByRole('region', { name: 'Your ticket' }).getByText('Elderly'));
  await visible(page.getByText('People ahead of you: 0'));
});

test('an appointment holder checks in with the code; a wrong code is refused', async () => {
  const citizen = await h.api('citizen');
  const slots = await citizen.call<{ centers: { centerCode: string; slots: { startsAt: string; free: number }[] }[] }>(
    'GET',
    `/api/queue/slots?service=${PENSION_CERT.code}&date=2026-11-24&center=${CENTER}`,
  );
  const slot = slots.body.centers[0]!.slots.find((s) => s.free > 0)!;
  const booked = await citizen.call<{ confirmation: string }>('POST', '/api/queue/appointments', {
    centerCode: CENTER,
    serviceCode: PENSION_CERT.code,
    startsAt: slot.startsAt,
  });
  assert.equal(booked.status, 201, JSON.stringify(booked.body));

  const page = await h.newPage();
  await page.goto(`/queue/kiosk/${CENTER}`);
  const checkIn = page.getByRole('region', { name: 'I have an appointment' });
  await checkIn.getByLabel('Confirmation code').fill('ZZZZ9999');
  await checkIn.getByRole('button', { name: 'Check in' }).click();
  await visible(checkIn.getByRole('alert'), 'unknown code refused');

  await checkIn.getByLabel('Confirmation code').fill(booked.body.confirmation.toLowerCase());
  await checkIn.getByRole('button', { name: 'Check in' }).click();
  const slip = page.getByRole('region', { name: 'Your ticket' });
  await visible(slip.getByTestId('ticket-number'));
  await visible(slip.getByText('Appointment'), 'appointment priority on the slip');
});

test('a volunteer issues a ticket on someone\'s behalf by FIN and sees the hall update', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteer tablet' }).click();
  await visible(page.getByRole('heading', { name: 'Volunteer tablet', level: 1 }));
  const hall = page.getByRole('region', { name: 'Live hall' });
  await visible(hall.getByTestId('hall-waiting').getByText('0', { exact: true }));

  // A FIN that is not 7 valid characters is refused before anything is issued.
  await page.getByLabel('Citizen\'s FIN (optional)').fill('12OI');
  await serviceButton(page, PENSION_CERT.name).click();
  await visible(page.getByText('A FIN is 7 characters'));

  await page.getByLabel('Citizen\'s FIN (optional)').fill(h.srv.demo.citizenFin);
  await page.getByRole('radiogroup', { name: 'Priority' }).getByText('Disability', { exact: true }).click();
  await serviceButton(page, PENSION_CERT.name).click();
  const slip = page.getByRole('region', { name: 'Your ticket' });
  const number = (await (await visible(slip.getByTestId('ticket-number'))).first().textContent())?.trim() ?? '';
  await visible(slip.getByText('Disability'));
  await visible(hall.getByTestId('hall-waiting').getByText('1', { exact: true }), 'the hall counts the new ticket');

  // The ticket names the citizen: the operator who calls it sees who it is.
  const op = await h.api('operator');
  const called = await op.call<{ ticket: { number: string }; citizen: { fin: string } | null }>('POST', `/api/queue/centers/${CENTER}/windows/20/call-next`);
  assert.equal(called.body.ticket.number, number);
  assert.equal(called.body.citizen?.fin, h.srv.demo.citizenFin);
});

test('the portal publishes current waiting times per center', async () => {
  await fetch(`${h.srv.url}/api/queue/centers/${CENTER}/kiosk/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ serviceCode: PENSION_CERT.code }),
  });
  const page = await h.newPage();
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Waiting times' }).click();
  await visible(page.getByRole('heading', { name: 'Waiting times at DOST centers', level: 1 }));
  const baku1 = page.getByRole('row').filter({ hasText: 'Baku DOST Center No. 1' });
  await visible(baku1.getByRole('cell', { name: '1', exact: true }), 'one person waiting at Baku 1');
  await baku1.getByRole('link', { name: 'Display board' }).click();
  await visible(page.getByRole('heading', { name: /Bakı 1 nömrəli DOST Mərkəzi/, level: 1 }));
});
