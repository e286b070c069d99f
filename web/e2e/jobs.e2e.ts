import { after, before, test } from 'node:test';
import { assertAccessible, startHarness, visible, type Harness } from './support.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

test('an administrator sees the scheduled jobs in words, runs one now and sees its result', async () => {
  const page = await h.newPage();
  await h.signIn(page, 'admin');
  await page.getByRole('link', { name: 'Scheduled jobs' }).click();
  await visible(page.getByRole('heading', { name: 'Scheduled jobs', level: 1 }));
  const escalation = page.getByRole('region', { name: 'Escalation of overdue cases' });
  await visible(escalation.getByText('Every day at', { exact: false }));
  await visible(page.getByRole('region', { name: 'Nightly benefit re-evaluation' }));
  await assertAccessible(page);

  await escalation.getByRole('button', { name: 'Run now' }).click();
  const run = page.getByRole('row').filter({ hasText: 'Started by an administrator' }).filter({ hasText: 'Escalation of overdue cases' });
  await visible(run.filter({ hasText: 'Succeeded' }), 'the manual run, finished');
  await visible(run.filter({ hasText: 'checked:' }), 'its figures in words');
});
