/**
 * Shared set-up for the queue browser tests: the server's clock on a weekday morning (the
 * center is open), tickets issued through the API, and a helper that empties the queue.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import type { Page } from 'playwright-core';
import { CENTER, MORNING } from '../../src/modules/queue/test-kit.ts';
import { createUser } from '../../src/test/factories.ts';
import { startHarness, type Harness } from './support.ts';

export { CENTER, MORNING };
/** A service offered at BAKU-1 (letter A) and its English name. */
export const PENSION_CERT = { code: '99-01-01-00', name: 'Certificate of receiving a pension' };

export interface Issued {
  ticket: { id: number; number: string; status: string; priority: string };
  waitingAhead: number;
  estimatedWaitMinutes: number | null;
  surveyToken: string;
}

/** Puts the server's clock on the weekday morning the queue tests use. */
export function openingHours(h: Harness): void {
  h.srv.app.setNow(MORNING);
}

/**
 * Registers a test file's hooks: one harness for the file with the clock on the weekday
 * morning, and an empty queue before each test; `set` receives the harness once started.
 */
export function useQueueHarness(set: (h: Harness) => void): void {
  let h: Harness | undefined;
  before(async () => {
    h = await startHarness();
    openingHours(h);
    set(h);
  });
  beforeEach(() => drainQueue(h!));
  after(async () => {
    await h?.close();
  });
}

/** Issues a ticket as the volunteer would (operator API), optionally naming the citizen. */
export async function issueTicket(h: Harness, opts: { serviceCode?: string; citizenId?: number; priority?: string } = {}): Promise<Issued> {
  const op = await h.api('operator');
  const res = await op.call<Issued>('POST', `/api/queue/centers/${CENTER}/tickets`, { serviceCode: opts.serviceCode ?? PENSION_CERT.code, ...opts });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/** Calls every waiting ticket to a window and marks it a no-show, so each test starts with an empty queue. */
export async function drainQueue(h: Harness, windowNo = 50): Promise<void> {
  const op = await h.api('operator');
  const windows = await op.call<{ windowNo: number; ticket: { id: number; status: string } | null }[]>('GET', `/api/queue/centers/${CENTER}/windows`);
  for (const w of windows.body) {
    if (!w.ticket) continue;
    const action = w.ticket.status === 'serving' ? 'finish' : 'no-show';
    await op.call('POST', `/api/queue/tickets/${w.ticket.id}/${action}`, {});
  }
  for (;;) {
    const r = await op.call<{ ticket: { id: number } | null }>('POST', `/api/queue/centers/${CENTER}/windows/${windowNo}/call-next`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    if (!r.body.ticket) return;
    await op.call('POST', `/api/queue/tickets/${r.body.ticket.id}/no-show`, {});
  }
}

/** Another operator at BAKU-1, for tests with two windows at once. */
export async function secondOperator(h: Harness): Promise<{ username: string; password: string }> {
  const u = await createUser(h.srv.app.ctx.db, { roles: ['operator'], centerCode: CENTER, displayName: 'Second operator' });
  return { username: u.username, password: u.password };
}

/** Signs in with a username and password through the login page. */
export async function signInAs(page: Page, login: { username: string; password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/^Username/).fill(login.username);
  await page.getByLabel(/^Password/).fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** A service's big button at the kiosk: its name, then its letter and queue figures. */
export function serviceButton(page: Page, name: string) {
  return page.getByRole('button', { name: new RegExp(`^${name}\\s*[A-Z] ·`) });
}

/** Opens the operator console at a window. */
export async function openConsole(page: Page, windowNo: number): Promise<void> {
  await page.goto('/queue/console');
  await page.getByLabel(/^Window$/).selectOption(String(windowNo));
  await page.getByRole('button', { name: 'Call next' }).waitFor();
}
