import type { Config } from './config.ts';
import type { Database, Db } from './db.ts';
import type { Logger } from './logger.ts';
import type { Locale } from './i18n.ts';
import type { WorkingCalendar } from './calendar.ts';

/** Roles a user may hold. */
export const ROLES = ['citizen', 'operator', 'officer', 'center_manager', 'call_center_agent', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: the signed-in user as the services see them (never an HTTP request). */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  roles: Role[];
  citizenId: number | null;
  centerCode: string | null;
  locale: Locale;
  requestId?: string;
  ip?: string;
}

/** What every service function receives: the database, the clock, config and logger. */
export interface AppContext {
  database: Database;
  db: Db;
  config: Config;
  logger: Logger;
  /** The current time; tests replace it. */
  now: () => Date;
  /** Working days and holidays, loaded from the holidays table at start. */
  calendar: WorkingCalendar;
}

/** True when the actor holds any of the roles. */
export const hasRole = (actor: Actor, ...roles: Role[]): boolean => actor.roles.some((r) => roles.includes(r));
