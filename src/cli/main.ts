import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createApp, createContext, prepareDatabase } from '../app.ts';
import { ConfigError, loadConfig, type Config } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { ROLES, type Role } from '../platform/context.ts';
import { DataFileError } from '../modules/reference/index.ts';
import { createUser } from '../modules/identity/index.ts';
import { importCitizens } from '../modules/registry/import.ts';
import { findPossibleDuplicates } from '../modules/registry/matching.ts';
import { DEFAULT_AS_OF as DEMO_AS_OF, generatePopulation, writePopulationCsv } from '../modules/registry/generate.ts';
import { generateIncomeDeclarations } from '../modules/benefits/generate.ts';
import { createProgress, formatBytes } from './progress.ts';
import { withContext } from './context.ts';
import { demoLoginsFile, printDemoLogins, seedDemoApplications, seedDemoUsers } from './seed.ts';
import { registerQueueCommands } from './queue.ts';
import { registerRulesCommands } from './rules.ts';
import { registerAuditCommands } from './audit.ts';
import { registerHouseholdCommands } from './households.ts';
import { startBenefitsDispatcher } from '../modules/benefits/index.ts';
import { createScheduler } from '../modules/scheduler/index.ts';

const portNumber = (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new InvalidArgumentError('must be a port number 0–65535 (0: any free port)');
  return Number(v);
};

const positiveInt = (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a positive whole number');
  return Number(v);
};

function config(overrides: Partial<Config> = {}): Config {
  return loadConfig(process.env, overrides);
}


/** Seeds the demo population and users on an empty database. */
async function seedIfEmpty(ctx: Awaited<ReturnType<typeof createContext>>, citizens: number, seed: number, log: (s: string) => void) {
  const any = await ctx.db.selectFrom('citizens').select('citizen_id').limit(1).executeTakeFirst();
  if (!any) {
    log(`Generating a demo population of ${citizens} citizens (seed ${seed})…`);
    const bar = createProgress({ label: 'Generating citizens', total: citizens, unit: 'citizens' });
    const r = await generatePopulation(ctx.database, { citizens, seed, onProgress: (p) => bar.update(p.citizens) });
    bar.stop();
    const incomes = await generateIncomeDeclarations(ctx.db, { seed, asOf: DEMO_AS_OF });
    log(`  ${r.citizens} citizens, ${r.households} households, ${r.lifeEvents} life events, ${incomes} declared household incomes in ${(r.durationMs / 1000).toFixed(1)} s`);
  }
  const logins = await seedDemoUsers(ctx);
  const apps = await seedDemoApplications(ctx);
  if (apps > 0) log(`  ${apps} demo applications in the back-office inbox`);
  return logins;
}

async function ensureWebBuilt(cfg: Config, log: (s: string) => void) {
  if (existsSync(path.join(cfg.webDistDir, 'index.html'))) return;
  const viteConfig = path.resolve('web/vite.config.ts');
  if (!existsSync(viteConfig)) return;
  log('Building the web app (first start only)…');
  const { build } = await import('vite');
  await build({ configFile: viteConfig, logLevel: 'warn' });
}

const program = new Command('dost')
  .description('dost — one-window social services. Uses PGlite in DOST_DATA_DIR (default ./.data), or PostgreSQL when DATABASE_URL is set.')
  .showHelpAfterError();

program.command('start')
  .description('Migrate, load reference data, seed a demo population on first start, and serve the product')
  .option('-p, --port <port>', 'port to listen on (default PORT or 3000; 0 = any free port)', portNumber)
  .option('--host <host>', 'address to listen on (default HOST or 127.0.0.1)')
  .option('--demo-citizens <n>', 'size of the demo population on first start', positiveInt, 2000)
  .option('--no-demo', 'do not seed demo data')
  .action(async (opts: { port?: number; host?: string; demoCitizens: number; demo: boolean }) => {
    const started = performance.now();
    const cfg = config({ ...(opts.port !== undefined && { port: opts.port }), ...(opts.host && { host: opts.host }) });
    const logger = createLogger(cfg.logLevel);
    const log = (s: string) => process.stdout.write(`${s}\n`);
    await ensureWebBuilt(cfg, log);
    const database = await prepareDatabase(cfg, logger);
    const ctx = await createContext(cfg, database, logger);
    // Demo logins are shown once, when this start created them; never at later starts or in production.
    const logins = opts.demo ? await seedIfEmpty(ctx, opts.demoCitizens, 42, log) : undefined;
    const app = await createApp(ctx);
    const dispatcher = startBenefitsDispatcher(ctx);
    // The nightly sweep and SLA escalation (DOST_SWEEP_AT, DOST_ESCALATION_AT); safe in every API process.
    const scheduler = createScheduler(ctx);
    let closing = false;
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      const force = setTimeout(() => process.exit(1), 15_000);
      force.unref();
      try {
        await app.close();
        await scheduler.stop();
        await dispatcher.stop();
        await database.close();
      } finally {
        process.exit(0);
      }
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
    const address = await app.listen({ port: cfg.port, host: cfg.host });
    logger.info({ listen: address, database: database.kind, startMs: Math.round(performance.now() - started) }, 'dost started');
    if (logins) printDemoLogins(logins, `dost is running at ${cfg.publicUrl}`, { production: cfg.env === 'production', file: demoLoginsFile(cfg.dataDir) });
  });

program.command('migrate')
  .description('Apply pending database migrations and load the reference data files')
  .action(async () => {
    await withContext(async (ctx) => process.stdout.write(`database ready (${ctx.database.kind})\n`));
  });

program.command('seed')
  .description('Seed a demo population and one user per role into an empty database; prints the logins')
  .option('--citizens <n>', 'population size', positiveInt, 2000)
  .option('--seed <s>', 'random seed (same seed, same people)', positiveInt, 42)
  .action(async (opts: { citizens: number; seed: number }) => {
    await withContext(async (ctx) => {
      const logins = await seedIfEmpty(ctx, opts.citizens, opts.seed, (s) => process.stdout.write(`${s}\n`));
      const file = demoLoginsFile(ctx.config.dataDir);
      if (logins) printDemoLogins(logins, `Seeded. Start with \`npm start\` and sign in at ${ctx.config.publicUrl}`, { production: ctx.config.env === 'production', file });
      else process.stdout.write(`users exist already; nothing seeded${existsSync(file) ? ` (the demo logins are in ${file})` : ''}\n`);
    });
  });

const importCmd = program.command('import').description('Bulk import into the registry');
importCmd.command('citizens <file>')
  .description('Import citizens from a CSV (fin,last_name,first_name,patronymic,birth_date,sex,district_code,address,phone,id_card_number). All or nothing unless --skip-invalid.')
  .option('--skip-invalid', 'import the good rows and report the bad ones', false)
  .action(async (file: string, opts: { skipInvalid: boolean }) => {
    if (!existsSync(file)) throw new InvalidArgumentError(`no such file: ${file}`);
    const size = statSync(file).size;
    await withContext(async (ctx) => {
      const bar = createProgress({ label: 'Importing citizens', total: size, unit: 'bytes', formatValue: formatBytes });
      const report = await importCitizens(ctx.database, createReadStream(file), { skipInvalid: opts.skipInvalid, locale: 'en', onProgress: (p) => bar.update(p.bytes) });
      bar.stop();
      for (const e of report.errors.slice(0, 200)) process.stderr.write(`line ${e.line}: ${e.field}: ${e.message} [${e.code}]\n`);
      if (report.errors.length > 200) process.stderr.write(`… and ${report.errors.length - 200} more\n`);
      for (const w of report.warnings.slice(0, 200)) process.stderr.write(`line ${w.line}: warning: ${w.message} [${w.code}]\n`);
      process.stdout.write(`imported ${report.imported}, rejected ${report.rejected} in ${(report.durationMs / 1000).toFixed(1)} s\n`);
      if (report.possibleDuplicates > 0) process.stdout.write(`possible duplicates queued for review: ${report.possibleDuplicates}\n`);
      if (report.rejected > 0 && !opts.skipInvalid) process.exitCode = 2;
    });
  });

// `dost registry …` may be declared by other registry commands too: reuse it if so.
const registryMatchCmd = program.commands.find((c) => c.name() === 'registry') ?? program.command('registry').description('Registry maintenance');
registryMatchCmd.command('match')
  .description('Find possible duplicate persons in the whole registry (set-based) and queue new pairs for review')
  .action(async () => {
    await withContext(async (ctx) => {
      const started = Date.now();
      process.stdout.write('Matching the registry (blocking on birth date and folded surname + birth year)…\n');
      const timer = setInterval(() => process.stdout.write(`  … ${Math.round((Date.now() - started) / 1000)} s\n`), 10_000);
      try {
        const pairs = await findPossibleDuplicates(ctx.db, { foundBy: 'match' });
        process.stdout.write(`new possible duplicates queued for review: ${pairs.length} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      } finally {
        clearInterval(timer);
      }
    });
  });

program.command('generate')
  .description('Generate a deterministic synthetic population into the database, or as CSV with --out')
  .requiredOption('--citizens <n>', 'number of citizens (up to 10,000,000)', positiveInt)
  .option('--seed <s>', 'random seed', positiveInt, 1)
  .option('--out <dir>', 'write citizens.csv into this folder instead of the database')
  .action(async (opts: { citizens: number; seed: number; out?: string }) => {
    if (opts.citizens > 10_000_000) throw new InvalidArgumentError('at most 10,000,000 citizens');
    const bar = createProgress({ label: 'Generating citizens', total: opts.citizens, unit: 'citizens' });
    if (opts.out) {
      await writePopulationCsv({ citizens: opts.citizens, seed: opts.seed, out: opts.out, onProgress: (p) => bar.update(p.citizens) });
      bar.stop();
      process.stdout.write(`wrote ${path.join(opts.out, 'citizens.csv')}\n`);
      return;
    }
    await withContext(async (ctx) => {
      const r = await generatePopulation(ctx.database, { citizens: opts.citizens, seed: opts.seed, onProgress: (p) => bar.update(p.citizens) });
      bar.stop();
      const incomes = await generateIncomeDeclarations(ctx.db, { seed: opts.seed, asOf: DEMO_AS_OF });
      process.stdout.write(`${r.citizens} citizens, ${r.households} households, ${r.lifeEvents} life events, ${incomes} declared household incomes in ${(r.durationMs / 1000).toFixed(1)} s\n`);
    });
  });

const users = program.command('users').description('Manage users');
users.command('list').description('List users and their roles').action(async () => {
  await withContext(async (ctx) => {
    const rows = await ctx.db.selectFrom('users').select(['username', 'roles', 'disabled', 'center_code']).orderBy('username').execute();
    for (const r of rows) process.stdout.write(`${r.username.padEnd(24)} ${r.roles.join(',').padEnd(30)} ${r.center_code ?? ''}${r.disabled ? ' (disabled)' : ''}\n`);
  });
});
users.command('create <username>')
  .description('Create a user; the password is read from DOST_PASSWORD or generated and printed')
  .requiredOption('--roles <roles>', `comma-separated: ${ROLES.join(', ')}`)
  .option('--name <displayName>', 'display name')
  .option('--center <code>', 'center code for center staff')
  .action(async (username: string, opts: { roles: string; name?: string; center?: string }) => {
    const roles = opts.roles.split(',').map((r) => r.trim()) as Role[];
    const bad = roles.filter((r) => !ROLES.includes(r));
    if (bad.length > 0) throw new InvalidArgumentError(`unknown role(s): ${bad.join(', ')}`);
    const password = process.env.DOST_PASSWORD ?? (await import('node:crypto')).randomBytes(12).toString('base64url');
    await withContext(async (ctx) => {
      await createUser(ctx, { username, displayName: opts.name ?? username, password, roles, centerCode: opts.center ?? null });
      process.stdout.write(`created ${username}${process.env.DOST_PASSWORD ? '' : ` with password ${password}`}\n`);
    });
  });

registerQueueCommands(program);
registerRulesCommands(program);
registerAuditCommands(program);
registerHouseholdCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof ConfigError || e instanceof DataFileError || e instanceof InvalidArgumentError) {
    process.stderr.write(`dost: ${e.message}\n`);
    process.exit(2);
  }
  const err = e as { code?: string; message?: string; details?: unknown };
  if (err.code && typeof err.code === 'string' && /^[A-Z_]+$/.test(err.code)) {
    process.stderr.write(`dost: ${err.code}: ${err.message}\n${err.details ? `${JSON.stringify(err.details, null, 2)}\n` : ''}`);
    process.exit(2);
  }
  throw e;
}
