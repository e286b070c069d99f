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
import { OperatorPage } from './features/operator/OperatorPage.tsx';
import type { Role } from './types.ts';

const INBOX: Role[] = ['officer', 'center_manager', 'admin', 'operator'];
const STAFF: Role[] = ['officer', 'center_manager', 'admin', 'operator', 'call_center_agent', 'analyst'];
const FRONT_OFFICE: Role[] = ['operator', 'call_center_agent'];

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
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
