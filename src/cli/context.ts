import { createContext, prepareDatabase } from '../app.ts';
import { loadConfig, type Config } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import { createLogger } from '../platform/logger.ts';

/**
 * Runs a CLI command with the product's context: config from the environment, the database
 * migrated and its reference data loaded, closed afterwards. Commands log at warn unless
 * LOG_LEVEL asks for more detail, so their own output stays readable.
 */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>, opts: { overrides?: Partial<Config>; now?: () => Date } = {}): Promise<T> {
  const cfg = loadConfig(process.env, opts.overrides);
  const logger = createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel);
  const database = await prepareDatabase(cfg, logger);
  try {
    return await fn(await createContext(cfg, database, logger, opts.now));
  } finally {
    await database.close();
  }
}
