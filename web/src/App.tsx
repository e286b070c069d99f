import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { NotFoundPage } from './components/NotFoundPage.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { RequireRole } from './features/auth/RequireRole.tsx';
import { CatalogPage } from './features/catalog/CatalogPage.tsx';
import { ServicePage } from './features/catalog/ServicePage.tsx';
import type { Role } from './types.ts';
import { Loading } from './components/QueryState.tsx';

/**
 * A page loaded when first visited: each feature is its own chunk, so a citizen opening the
 * catalog does not download the officer's, the kiosk's and the analyst's pages (the catalog, a
 * service and sign-in stay in the first download).
 */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const AuditPage = page(() => import('./features/admin/AuditPage.tsx'), 'AuditPage');
const ImportPage = page(() => import('./features/admin/ImportPage.tsx'), 'ImportPage');
const UsersPage = page(() => import('./features/admin/UsersPage.tsx'), 'UsersPage');
const JobsPage = page(() => import('./features/jobs/JobsPage.tsx'), 'JobsPage');
const ApplicationDetailPage = page(() => import('./features/applications/ApplicationDetailPage.tsx'), 'ApplicationDetailPage');
const ApplyPage = page(() => import('./features/applications/ApplyPage.tsx'), 'ApplyPage');
const MyApplicationsPage = page(() => import('./features/applications/MyApplicationsPage.tsx'), 'MyApplicationsPage');
const CasePage = page(() => import('./features/officer/CasePage.tsx'), 'CasePage');
const InboxPage = page(() => import('./features/officer/InboxPage.tsx'), 'InboxPage');
const OperatorPage = page(() => import('./features/operator/OperatorPage.tsx'), 'OperatorPage');
const MyBenefitsPage = page(() => import('./features/benefits/MyBenefitsPage.tsx'), 'MyBenefitsPage');
const RulesPage = page(() => import('./features/benefits/RulesPage.tsx'), 'RulesPage');
const SimulatorPage = page(() => import('./features/benefits/SimulatorPage.tsx'), 'SimulatorPage');
const TracePage = page(() => import('./features/benefits/TracePage.tsx'), 'TracePage');
const AppointmentPage = page(() => import('./features/queue/AppointmentPage.tsx'), 'AppointmentPage');
const BoardPage = page(() => import('./features/queue/BoardPage.tsx'), 'BoardPage');
const BookingPage = page(() => import('./features/queue/BookingPage.tsx'), 'BookingPage');
const ConsolePage = page(() => import('./features/queue/ConsolePage.tsx'), 'ConsolePage');
const HallPage = page(() => import('./features/queue/HallPage.tsx'), 'HallPage');
const KioskPage = page(() => import('./features/queue/KioskPage.tsx'), 'KioskPage');
const VolunteerPage = page(() => import('./features/queue/KioskPage.tsx'), 'VolunteerPage');
const ReportPage = page(() => import('./features/queue/ReportPage.tsx'), 'ReportPage');
const SurveyPage = page(() => import('./features/queue/SurveyPage.tsx'), 'SurveyPage');
const HouseholdPage = page(() => import('./features/households/HouseholdPage.tsx'), 'HouseholdPage');
const CreateHouseholdPage = page(() => import('./features/households/CreateHouseholdPage.tsx'), 'CreateHouseholdPage');
const WaitTimesPage = page(() => import('./features/queue/WaitTimesPage.tsx'), 'WaitTimesPage');

const INBOX: Role[] = ['officer', 'center_manager', 'admin', 'operator'];
const STAFF: Role[] = ['officer', 'center_manager', 'admin', 'operator', 'call_center_agent', 'analyst'];
const FRONT_OFFICE: Role[] = ['operator', 'call_center_agent'];
const CENTER_STAFF: Role[] = ['operator', 'center_manager', 'admin'];
const MANAGERS: Role[] = ['center_manager', 'admin'];
const REPORTS: Role[] = ['center_manager', 'analyst', 'admin'];
const WHY: Role[] = ['citizen', 'officer', 'call_center_agent', 'admin'];
const RULES: Role[] = ['officer', 'analyst', 'admin'];
const SIMULATE: Role[] = ['analyst', 'admin'];

/** Wraps a page in the role guard. */
const guard = (roles: Role[], page: ReactNode) => <RequireRole roles={roles}>{page}</RequireRole>;

export function App() {
  return (
    <Suspense fallback={<Loading />}>
    <Routes>
      {/* Full-screen pages for the hall: no header or footer. */}
      <Route path="queue/board/:centerCode" element={<BoardPage />} />
      <Route path="queue/kiosk/:centerCode" element={<KioskPage />} />
      <Route element={<Layout />}>
        <Route path="queue/wait-times" element={<WaitTimesPage />} />
        <Route path="queue/survey/:token" element={<SurveyPage />} />
        <Route path="queue/appointments/:code" element={<AppointmentPage />} />
        <Route path="queue/book" element={guard(['citizen'], <BookingPage />)} />
        <Route path="queue/console" element={guard(CENTER_STAFF, <ConsolePage />)} />
        <Route path="queue/volunteer" element={guard(CENTER_STAFF, <VolunteerPage />)} />
        <Route path="queue/hall" element={guard(MANAGERS, <HallPage />)} />
        <Route path="queue/report" element={guard(REPORTS, <ReportPage />)} />
        <Route path="my/benefits" element={guard(['citizen'], <MyBenefitsPage />)} />
        <Route path="benefits/why" element={guard(WHY, <TracePage />)} />
        <Route path="rules" element={guard(RULES, <RulesPage />)} />
        <Route path="rules/simulate" element={guard(SIMULATE, <SimulatorPage />)} />
        <Route index element={<CatalogPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="services" element={<CatalogPage />} />
        <Route path="services/:code" element={<ServicePage />} />
        <Route
          path="services/:code/apply"
          element={
            <RequireRole roles={['citizen']}>
              <ApplyPage />
            </RequireRole>
          }
        />
        <Route
          path="my/applications"
          element={
            <RequireRole roles={['citizen']}>
              <MyApplicationsPage />
            </RequireRole>
          }
        />
        <Route
          path="my/applications/:reference"
          element={
            <RequireRole roles={['citizen']}>
              <ApplicationDetailPage />
            </RequireRole>
          }
        />
        <Route
          path="officer"
          element={
            <RequireRole roles={INBOX}>
              <InboxPage />
            </RequireRole>
          }
        />
        <Route
          path="officer/households/new"
          element={
            <RequireRole roles={['officer', 'admin']}>
              <CreateHouseholdPage />
            </RequireRole>
          }
        />
        <Route
          path="officer/households/:id"
          element={
            <RequireRole roles={['officer', 'admin']}>
              <HouseholdPage />
            </RequireRole>
          }
        />
        <Route
          path="officer/cases/:reference"
          element={
            <RequireRole roles={STAFF}>
              <CasePage />
            </RequireRole>
          }
        />
        <Route
          path="operator"
          element={
            <RequireRole roles={FRONT_OFFICE}>
              <OperatorPage />
            </RequireRole>
          }
        />
        <Route
          path="operator/citizens/:citizenId/apply/:code"
          element={
            <RequireRole roles={FRONT_OFFICE}>
              <ApplyPage />
            </RequireRole>
          }
        />
        <Route
          path="admin/users"
          element={
            <RequireRole roles={['admin']}>
              <UsersPage />
            </RequireRole>
          }
        />
        <Route
          path="admin/audit"
          element={
            <RequireRole roles={['admin']}>
              <AuditPage />
            </RequireRole>
          }
        />
        <Route
          path="admin/import"
          element={
            <RequireRole roles={['admin']}>
              <ImportPage />
            </RequireRole>
          }
        />
        <Route
          path="admin/jobs"
          element={
            <RequireRole roles={['admin']}>
              <JobsPage />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
    </Suspense>
  );
}
