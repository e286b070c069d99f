import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { NotFoundPage } from './components/NotFoundPage.tsx';
import { AuditPage } from './features/admin/AuditPage.tsx';
import { ImportPage } from './features/admin/ImportPage.tsx';
import { UsersPage } from './features/admin/UsersPage.tsx';
import { ApplicationDetailPage } from './features/applications/ApplicationDetailPage.tsx';
import { ApplyPage } from './features/applications/ApplyPage.tsx';
import { MyApplicationsPage } from './features/applications/MyApplicationsPage.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { RequireRole } from './features/auth/RequireRole.tsx';
import { CatalogPage } from './features/catalog/CatalogPage.tsx';
import { ServicePage } from './features/catalog/ServicePage.tsx';
import { CasePage } from './features/officer/CasePage.tsx';
import { InboxPage } from './features/officer/InboxPage.tsx';
import { HouseholdPage } from './features/households/HouseholdPage.tsx';
import { CreateHouseholdPage } from './features/households/CreateHouseholdPage.tsx';
import { OperatorPage } from './features/operator/OperatorPage.tsx';
import { MyBenefitsPage } from './features/benefits/MyBenefitsPage.tsx';
import { RulesPage } from './features/benefits/RulesPage.tsx';
import { SimulatorPage } from './features/benefits/SimulatorPage.tsx';
import { TracePage } from './features/benefits/TracePage.tsx';
import { AppointmentPage } from './features/queue/AppointmentPage.tsx';
import { BoardPage } from './features/queue/BoardPage.tsx';
import { BookingPage } from './features/queue/BookingPage.tsx';
import { ConsolePage } from './features/queue/ConsolePage.tsx';
import { HallPage } from './features/queue/HallPage.tsx';
import { KioskPage, VolunteerPage } from './features/queue/KioskPage.tsx';
import { ReportPage } from './features/queue/ReportPage.tsx';
import { SurveyPage } from './features/queue/SurveyPage.tsx';
import { WaitTimesPage } from './features/queue/WaitTimesPage.tsx';
import type { Role } from './types.ts';

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
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
