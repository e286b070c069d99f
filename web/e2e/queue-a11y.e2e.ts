import { after, before } from 'node:test';
import { startHarness, type Harness, testPagesAccessible, type PageToCheck } from './support.ts';
import { CENTER, issueTicket, openingHours } from './queue-kit.ts';

// The front-office and benefits pages, checked with axe-core against WCAG 2.1 A and AA like the
// main pages (a11y.e2e.ts): no serious or critical violations.

let h: Harness;
let surveyToken = '';
before(async () => {
  h = await startHarness();
  openingHours(h);
  surveyToken = (await issueTicket(h)).surveyToken;
});
after(async () => {
  await h?.close();
});

const pages: PageToCheck[] = [
  { name: 'display board', role: null, path: () => `/queue/board/${CENTER}` },
  { name: 'kiosk', role: null, path: () => `/queue/kiosk/${CENTER}` },
  { name: 'waiting times', role: null, path: () => '/queue/wait-times' },
  { name: 'survey', role: null, path: () => `/queue/survey/${surveyToken}` },
  { name: 'booking', role: 'citizen', path: () => '/queue/book' },
  { name: 'operator console', role: 'operator', path: () => '/queue/console?window=1' },
  { name: 'volunteer tablet', role: 'operator', path: () => '/queue/volunteer' },
  { name: 'manager hall', role: 'center_manager', path: () => '/queue/hall' },
  { name: 'daily report', role: 'center_manager', path: () => '/queue/report' },
  { name: 'my benefits', role: 'citizen', path: () => '/my/benefits' },
  { name: 'why (trace)', role: 'citizen', path: () => '/benefits/why?benefit=childbirth_allowance' },
  { name: 'rules explorer', role: 'officer', path: () => '/rules' },
  { name: 'what-if simulator', role: 'analyst', path: () => '/rules/simulate' },
];

// These pages keep a live event stream open, so the network never goes idle.
testPagesAccessible(() => h, pages, 500);
