/** Audit module: searching the record of personal-data access (writing it is platform/audit.ts). */
export { auditRoutes } from './routes.ts';
