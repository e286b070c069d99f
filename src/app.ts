import { WorkingCalendar } from './platform/calendar.ts';
import type { Config } from './platform/config.ts';
import type { AppContext } from './platform/context.ts';
import { openDatabase, type Database } from './platform/db.ts';
import { buildServer, type App, type RouteModule } from './platform/http/server.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { migrate } from './platform/migrate.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { casesRoutes } from './modules/cases/index.ts';
import { catalogRoutes } from './modules/catalog/index.ts';
import { identityRoutes } from './modules/identity/index.ts';
import { readReferenceData, upsertReferenceData } from './modules/reference/index.ts';
import { householdRoutes, registryRoutes } from './modules/registry/index.ts';
import { queueRoutes } from './modules/queue/index.ts';
import { benefitsRoutes } from './modules/benefits/index.ts';
import { schedulerRoutes } from './modules/scheduler/index.ts';

/** Every module's routes, in one list: adding a module means adding it here. */
export const ROUTE_MODULES: RouteModule[] = [identityRoutes, catalogRoutes, registryRoutes, casesRoutes, auditRoutes, queueRoutes, benefitsRoutes, schedulerRoutes, householdRoutes];

/**
 * Opens the database named by the config (PGlite in dataDir, or the server at DATABASE_URL),
 * applies pending migrations and loads the reference data files. The data files are validated
 * first: a broken file stops the start with the file and the problem.
 */
export async function prepareDatabase(config: Config, logger?: Logger): Promise<Database> {
  const reference = await readReferenceData();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir, poolSize: config.databasePoolSize, pgliteSharedBuffers: config.pgliteSharedBuffers, logger });
  try {
    const applied = await migrate(database, (name) => logger?.info({ migration: name }, 'migration applied'));
    await upsertReferenceData(database.db, reference);
    if (applied.length > 0) logger?.info({ count: applied.length }, 'database migrated');
  } catch (e) {
    await database.close();
    throw e;
  }
  return database;
}

/** Builds the context services receive. */
export async function createContext(config: Config, database: Database, logger: Logger, now: () => Date = () => new Date()): Promise<AppContext> {
  return { config, database, db: database.db, logger, now, calendar: await WorkingCalendar.load(database.db) };
}

/** The whole product as one Fastify app over a prepared database. */
export async function createApp(ctx: AppContext): Promise<App> {
  return buildServer(ctx, ROUTE_MODULES);
}

export { createLogger };
