import { after, before } from 'node:test';
import { startHarness, submitAsCitizen, getService, type Harness, testPagesAccessible, type PageToCheck } from './support.ts';

// Every page a user depends on, checked with axe-core against WCAG 2.1 A and AA: no serious or
// critical violations. Mantine gives accessible widgets; this catches what we put around them.

let h: Harness;
let reference = '';
before(async () => {
  h = await startHarness();
  reference = await submitAsCitizen(h, await getService(h.srv, h.srv.demo.serviceCode));
});
after(async () => {
  await h?.close();
});

const pages: PageToCheck[] = [
  { name: 'sign-in', role: null, path: () => '/login' },
  { name: 'catalog', role: null, path: () => '/services' },
  { name: 'service passport', role: null, path: () => `/services/${h.srv.demo.serviceCode}` },
  { name: 'application form', role: 'citizen', path: () => `/services/${h.srv.demo.serviceCode}/apply` },
  { name: 'my applications', role: 'citizen', path: () => '/my/applications' },
  { name: 'application detail', role: 'citizen', path: () => `/my/applications/${reference}` },
  { name: 'officer inbox', role: 'officer', path: () => '/officer' },
  { name: 'case view', role: 'officer', path: () => `/officer/cases/${reference}` },
  { name: 'operator find citizen', role: 'operator', path: () => '/operator' },
  { name: 'admin users', role: 'admin', path: () => '/admin/users' },
  { name: 'admin audit log', role: 'admin', path: () => '/admin/audit' },
  { name: 'admin import', role: 'admin', path: () => '/admin/import' },
];

testPagesAccessible(() => h, pages);
