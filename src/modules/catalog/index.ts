/** Catalog module: the services DOST delivers, their passports and forms, and the reference geography. */
export { getService, getServiceRow, toServiceSummary, toServiceDetail, toFieldOut } from './service.ts';
export type { ServiceDetail, ServiceSummary, FieldOut } from './schema.ts';
export { catalogRoutes } from './routes.ts';
