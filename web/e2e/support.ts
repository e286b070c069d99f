/**
 * Shared set-up for the browser tests: the real server in-process (serving web/dist, so run
 * `npm run build:web` first), a headless Chromium, sign-in and API helpers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startTestServer } from '../../src/test/server.ts';
import { sampleAnswers } from '../../src/modules/cases/index.ts';
import type { FieldOut } from '../../src/modules/catalog/index.ts';

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
export type RoleName = keyof TestServer['logins'];
type L = { az: string; ru: string; en: string };

export interface FieldDef {
  name: string;
  type: string;
  label: L;
  required: boolean;
  prefill?: string;
  options?: { value: string; label: L }[];
  min?: number;
  max?: number;
  maxLength?: number;
}
export interface ServiceDef {
  code: string;
  category: string;
  name: L;
  form: { fields: FieldDef[] };
}

export interface Harness {
  srv: TestServer;
  browser: Browser;
  /** A fresh browser context (own cookies) with the UI language preset (default English). */
  newPage(lang?: 'az' | 'ru' | 'en' | null): Promise<Page>;
  /** Signs in through the login page and waits until the app left it. */
  signIn(page: Page, role: RoleName): Promise<void>;
  /** A signed-in API client for set-up and checks that are not what the test is about. */
  api(role: RoleName): Promise<ApiClient>;
  close(): Promise<void>;
}

export interface ApiClient {
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function startHarness(): Promise<Harness> {
  const srv = await startTestServer();
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  } catch (e) {
    await srv.close();
    throw e;
  }
  const contexts: BrowserContext[] = [];
  // Every page is watched for Content-Security-Policy violations (issue 8): the built app must run
  // under the server's CSP as it is, and closing the harness fails on any violation seen.
  const cspViolations: string[] = [];

  const harness: Harness = {
    srv,
    browser,
    async newPage(lang = 'en') {
      const context = await browser.newContext({ baseURL: srv.url, locale: 'en-GB', viewport: { width: 1366, height: 900 } });
      contexts.push(context);
      if (lang) await context.addInitScript((l) => localStorage.setItem('dost.lang', l), lang);
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error('[browser error]', err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspViolations.push(`${page.url()}: ${msg.text()}`);
      });
      return page;
    },
    async signIn(page, role) {
      const { username, password } = srv.logins[role];
      await page.goto('/login');
      await page.getByLabel(exactLabel('Username')).fill(username);
      await page.getByLabel(exactLabel('Password')).fill(password);
      await page.getByRole('button', { name: 'Sign in' }).last().click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    },
    async api(role) {
      const { username, password } = srv.logins[role];
      const res = await fetch(`${srv.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      assert.equal(res.status, 200, `API sign-in as ${String(role)}`);
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      return {
        async call(method, path, body, headers = {}) {
          const r = await fetch(`${srv.url}${path}`, {
            method,
            headers: {
              cookie,
              'accept-language': 'en',
              ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
              ...headers,
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await r.text();
          return { status: r.status, body: (text ? JSON.parse(text) : undefined) as never };
        },
      };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await srv.close();
      assert.deepEqual(cspViolations, [], 'the app ran into its Content-Security-Policy');
    },
  };
  return harness;
}

/** Public catalog entry of a service, straight from the API. */
export async function getService(srv: TestServer, code: string): Promise<ServiceDef> {
  const res = await fetch(`${srv.url}/api/catalog/services/${code}`);
  assert.equal(res.status, 200);
  return (await res.json()) as ServiceDef;
}

/** Answers for every required field the applicant fills in (not prefilled ones), as the API takes them. */
export function sampleData(service: ServiceDef): Record<string, unknown> {
  return sampleAnswers(service.form.fields.filter((f) => f.required) as FieldOut[]);
}

/** Fills the rendered service form through its labels, field by field, like a person would. */
export async function fillServiceForm(page: Page, service: ServiceDef): Promise<void> {
  const answers = sampleData(service);
  for (const f of service.form.fields) {
    if (f.prefill || !f.required) continue;
    const field = page.getByLabel(exactLabel(f.label.en));
    const value = answers[f.name];
    if (f.type === 'select') await field.selectOption(String(value));
    else if (f.type === 'boolean') await field.check();
    else await field.fill(String(value));
  }
}

/** Submits an application as the citizen through the API; returns its reference. */
export async function submitAsCitizen(h: Harness, service: ServiceDef): Promise<string> {
  const citizen = await h.api('citizen');
  const res = await citizen.call<{ reference: string }>(
    'POST',
    '/api/applications',
    { serviceCode: service.code, data: sampleData(service) },
    { 'idempotency-key': `e2e-${crypto.randomUUID()}` },
  );
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.reference;
}

/**
 * Matches a form control's label exactly, ignoring the required-field asterisk that Mantine
 * renders (aria-hidden) inside the label.
 */
export function exactLabel(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s\\*)?$`);
}

/** Waits until the locator is visible, failing the test with a clear message otherwise. */
export async function visible(locator: Locator, what?: string): Promise<Locator> {
  try {
    await locator.first().waitFor({ state: 'visible' });
  } catch (e) {
    throw new Error(`not visible: ${what ?? String(locator)}\n${(e as Error).message}`);
  }
  return locator;
}

/** The table row that contains `text`. */
export function row(scope: Page | Locator, text: string): Locator {
  return scope.getByRole('row').filter({ hasText: text });
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeText: string | undefined;
const axeSource = () => (axeText ??= readFileSync(axePath, 'utf8'));
interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/**
 * Runs axe-core on the page against WCAG 2.1 A and AA and fails on any serious or critical
 * violation, naming the rule and the first elements at fault.
 */
export async function assertAccessible(page: Page): Promise<void> {
  // Evaluated through the browser's debugging protocol rather than added as a <script>: the app's
  // Content-Security-Policy (script-src 'self') rightly refuses an injected inline script.
  await page.evaluate(axeSource());
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), []);
}

/** A page to check for accessibility: who signs in (null: nobody) and where to go. */
export interface PageToCheck { name: string; role: RoleName | null; path: () => string }

/**
 * Registers one test per page: sign in, open it, wait for its heading and data, run axe.
 * `settle`: wait for the network to go idle, or a fixed time for pages that keep a live stream open.
 */
export function testPagesAccessible(harness: () => Harness, pages: readonly PageToCheck[], settle: 'networkidle' | number = 'networkidle'): void {
  for (const p of pages) {
    test(`${p.name} has no serious accessibility violations`, async () => {
      const h = harness();
      const page = await h.newPage();
      if (p.role) await h.signIn(page, p.role);
      await page.goto(p.path());
      await visible(page.getByRole('heading', { level: 1 }).first());
      if (settle === 'networkidle') await page.waitForLoadState('networkidle');
      else await page.waitForTimeout(settle);
      await assertAccessible(page);
      await page.context().close();
    });
  }
}
