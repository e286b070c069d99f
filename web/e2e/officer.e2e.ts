import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exactLabel, getService, row, startHarness, submitAsCitizen, visible, type Harness, type ServiceDef } from './support.ts';

let h: Harness;
let service: ServiceDef;
before(async () => {
  h = await startHarness();
  service = await getService(h.srv, h.srv.demo.serviceCode);
});
after(async () => {
  await h?.close();
});

test('an officer works a case from inbox to approval, with the citizen answering a request', async () => {
  const reference = await submitAsCitizen(h, service);

  const officer = await h.newPage();
  await h.signIn(officer, 'officer');
  await visible(officer.getByRole('heading', { name: 'Inbox', level: 1 }));

  // Filters narrow the inbox to the new case.
  await officer.getByLabel(exactLabel('Service')).selectOption(service.code);
  await officer.getByLabel(exactLabel('Status')).selectOption('submitted');
  await officer.getByLabel(exactLabel('Assigned to')).selectOption('unassigned');
  await officer.waitForURL((url) => url.searchParams.get('service') === service.code && url.searchParams.get('assignee') === 'unassigned');
  const inboxRow = row(officer, reference);
  await visible(inboxRow, 'case in filtered inbox');
  await visible(inboxRow.getByText(/On time|Due soon|Overdue/), 'SLA badge in the row');
  await officer.getByLabel(exactLabel('Status')).selectOption('approved');
  await visible(officer.getByText('No applications match the filters.'));
  await officer.getByLabel(exactLabel('Status')).selectOption('submitted');

  await row(officer, reference).getByRole('link', { name: reference }).click();
  await officer.waitForURL(`**/officer/cases/${reference}`);
  await visible(officer.getByRole('heading', { name: service.name.en, level: 1 }));
  await visible(officer.getByRole('region', { name: 'Citizen' }).getByText(h.srv.demo.citizenFin));
  await officer.getByRole('button', { name: 'Load full registry record' }).click();
  await visible(officer.getByRole('heading', { name: 'Life events' }));

  await officer.getByRole('button', { name: 'Assign to me' }).click();
  await visible(officer.getByRole('list', { name: 'Application history' }).getByText('Assigned'));
  await officer.getByRole('button', { name: 'Start review' }).click();
  await visible(officer.getByRole('region', { name: 'Status and deadline' }).getByText('In review'));

  // Requesting information needs a comment.
  await officer.getByRole('button', { name: 'Request information' }).click();
  const dialog = officer.getByRole('dialog', { name: 'Request information' });
  await dialog.getByRole('button', { name: 'Request information' }).click();
  await visible(dialog.getByText('Required'));
  await dialog.getByLabel(exactLabel('What information is needed')).fill('Please send a copy of the income statement.');
  await dialog.getByRole('button', { name: 'Request information' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const status = officer.getByRole('region', { name: 'Status and deadline' });
  await visible(status.getByText('Information requested'));
  await visible(status.getByText('Paused'), 'SLA paused while waiting');

  // The citizen sees the request and answers it.
  const citizen = await h.newPage();
  await h.signIn(citizen, 'citizen');
  await citizen.goto(`/my/applications/${reference}`);
  const box = citizen.getByRole('region', { name: 'Information requested' });
  await visible(box.getByText('Please send a copy of the income statement.'));
  await box.getByLabel(exactLabel('Your answer')).fill('Sent by e-mail today.');
  await box.getByRole('button', { name: 'Send information' }).click();
  await visible(citizen.getByRole('list', { name: 'Application history' }).getByText('Information provided'));
  await box.waitFor({ state: 'hidden' });

  // Back to the officer: approve, and the SLA clock closes.
  await officer.reload();
  await visible(status.getByText('In review'));
  await visible(status.getByText(/working days? (left|late)/), 'SLA clock running again');
  await officer.getByRole('button', { name: 'Approve' }).click();
  const approve = officer.getByRole('dialog', { name: 'Approve' });
  await approve.getByLabel(exactLabel('Comment')).fill('Eligible.');
  await approve.getByRole('button', { name: 'Approve' }).click();
  await approve.waitFor({ state: 'hidden' });
  await visible(status.getByText('Approved'));
  await visible(status.getByText('Closed'), 'SLA badge closed');
  const history = officer.getByRole('list', { name: 'Application history' });
  for (const step of ['Submitted', 'Assigned', 'Review started', 'Information requested', 'Information provided', 'Approved']) {
    await visible(history.getByRole('listitem').filter({ hasText: step }), `history: ${step}`);
  }
  assert.equal(await officer.getByRole('button', { name: 'Approve' }).count(), 0, 'no more decisions');
});

test('two inbox filters changed in the same moment both stay in the address', async () => {
  const officer = await h.newPage();
  await h.signIn(officer, 'officer');
  await visible(officer.getByRole('heading', { name: 'Inbox', level: 1 }));
  await officer.getByLabel(exactLabel('Service')).locator(`option[value="${service.code}"]`).waitFor({ state: 'attached' });
  // Both changes in one task, before React re-renders: React Router hands the second update the
  // params of the last render, which dropped the first filter before useListParams read the URL.
  // (A script string: tsx would wrap a function's inner helpers in __name, unknown in the page.)
  await officer.evaluate(`(() => {
    for (const [text, value] of [['Service', ${JSON.stringify(service.code)}], ['Assigned to', 'unassigned']]) {
      const label = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === text);
      const el = document.getElementById(label.htmlFor);
      el.value = value;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }
  })()`);
  await officer.waitForURL((url) => url.searchParams.get('service') === service.code && url.searchParams.get('assignee') === 'unassigned', { timeout: 5000 });
});

test('an officer rejects with a reason', async () => {
  const reference = await submitAsCitizen(h, service);
  const officer = await h.newPage();
  await h.signIn(officer, 'officer');
  await officer.goto(`/officer/cases/${reference}`);
  await officer.getByRole('button', { name: 'Start review' }).click();
  await officer.getByRole('button', { name: 'Reject' }).click();
  const dialog = officer.getByRole('dialog', { name: 'Reject' });
  await dialog.getByRole('button', { name: 'Reject' }).click();
  await visible(dialog.getByText('Required'), 'reason is required');
  await dialog.getByLabel(exactLabel('Reason')).selectOption('incomplete_documents');
  await dialog.getByRole('button', { name: 'Reject' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await visible(officer.getByRole('region', { name: 'Status and deadline' }).getByText('Rejected'));
  await visible(officer.getByText('Reason: Incomplete documents'));
});
