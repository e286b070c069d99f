import { Command, InvalidArgumentError } from 'commander';
import type { Actor, AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { bakuDate } from '../platform/calendar.ts';
import {
  addMember, citizenIdByFin, createHousehold, declareIncome, endMember, getHousehold, householdIdOfCitizen, parseFin, type HouseholdView,
} from '../modules/registry/index.ts';
import { withContext } from './context.ts';

const CLI: Actor = { userId: '00000000-0000-0000-0000-000000000000', username: 'cli', displayName: 'dost CLI', roles: ['admin'], citizenId: null, centerCode: null, locale: 'en' };

const positive = (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
};
const amount = (v: string) => {
  if (!/^-?\d+(\.\d{1,2})?$/.test(v)) throw new InvalidArgumentError('must be an amount in AZN like 250 or 250.50');
  return Number(v);
};

/** A FIN in any letter case: invalid (exit 2) is told apart from not in the registry (exit 1). */
async function citizenOf(ctx: AppContext, raw: string): Promise<number> {
  const fin = parseFin(raw);
  if (!fin) throw new CliFailure(`"${raw}" is not a valid FIN (7 letters and digits, e.g. 5ZX8K2M)`, 2);
  const id = await citizenIdByFin(ctx.db, fin);
  if (id === undefined) throw new CliFailure(`no citizen with FIN ${fin} in the registry`, 1);
  return id;
}

class CliFailure extends Error {
  constructor(message: string, readonly exitCode: number) { super(message); }
}

function print(h: HouseholdView): void {
  const out = process.stdout;
  out.write(`household ${h.id}  district ${h.districtCode}  ${h.address ?? ''}\n`);
  out.write('members:\n');
  for (const m of h.members) {
    const span = m.leftOn ? `${m.joinedOn} – ${m.leftOn}` : `since ${m.joinedOn}`;
    out.write(`  ${m.current ? '*' : ' '} ${m.fin}  ${m.lastName} ${m.firstName}${m.patronymic ? ` ${m.patronymic}` : ''}  ${m.relationName}  ${span}${m.deathDate ? `  (died ${m.deathDate})` : ''}\n`);
  }
  out.write(h.declarations.length ? 'income declarations:\n' : 'no income declarations\n');
  for (const d of h.declarations) {
    out.write(`    ${d.declaredOn}  ${d.monthlyIncomeAzn.toFixed(2)} AZN/month  ${d.periodFrom ?? '?'} – ${d.periodTo ?? '?'}  ${d.sourceName}\n`);
  }
}

/** Runs one household command: errors become one readable line and an exit code. */
async function run(fn: (ctx: AppContext) => Promise<HouseholdView | void>): Promise<void> {
  try {
    await withContext(async (ctx) => {
      const h = await fn(ctx);
      if (h) print(h);
    });
  } catch (e) {
    if (e instanceof CliFailure) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = e.exitCode;
    } else if (e instanceof AppError) {
      process.stderr.write(`${e.message}\n`);
      for (const d of e.details ?? []) process.stderr.write(`  ${d.field.replace(/^\//, '')}: ${d.message}\n`);
      process.exitCode = 1;
    } else {
      throw e;
    }
  }
}

/** Adds `dost households …`: show, create, add-member, end-member, declare-income. */
export function registerHouseholdCommands(program: Command): void {
  const hh = program.command('households').description('Households: members over time and declared income');

  hh.command('show <fin>')
    .description('Show the household of the citizen with this FIN (any letter case), members current and past, and income declarations')
    .action((fin: string) => run(async (ctx) => {
      const id = await citizenOf(ctx, fin);
      const hid = await householdIdOfCitizen(ctx.db, id);
      if (hid === null) throw new CliFailure(`the citizen with FIN ${parseFin(fin)} is in no household`, 1);
      return getHousehold(ctx, CLI, hid);
    }));

  hh.command('create')
    .description('Register a household with its head (a head in another household moves)')
    .requiredOption('--head <fin>', 'FIN of the head of household')
    .requiredOption('--district <code>', 'district code, e.g. BAK-YAS')
    .requiredOption('--address <address>', 'address of the dwelling')
    .option('--from <date>', 'from when (YYYY-MM-DD; default today)')
    .action((o: { head: string; district: string; address: string; from?: string }) => run(async (ctx) =>
      createHousehold(ctx, CLI, { headCitizenId: await citizenOf(ctx, o.head), districtCode: o.district, address: o.address, ...(o.from && { from: o.from }) })));

  hh.command('add-member <householdId> <fin>')
    .description('Add a member; one in another household is moved (that membership ends the same day)')
    .requiredOption('--relation <relation>', 'relation to the head: spouse, child, parent, sibling, grandchild, grandparent, other')
    .requiredOption('--from <date>', 'from when (YYYY-MM-DD)')
    .action((householdId: string, fin: string, o: { relation: string; from: string }) => run(async (ctx) =>
      addMember(ctx, CLI, positive(householdId), { citizenId: await citizenOf(ctx, fin), relation: o.relation, from: o.from })));

  hh.command('end-member <householdId> <fin>')
    .description('End a membership; the head leaving others behind names a new head')
    .requiredOption('--on <date>', 'until when (YYYY-MM-DD, exclusive)')
    .option('--new-head <fin>', 'FIN of the member who becomes head')
    .action((householdId: string, fin: string, o: { on: string; newHead?: string }) => run(async (ctx) =>
      endMember(ctx, CLI, positive(householdId), await citizenOf(ctx, fin), { on: o.on, ...(o.newHead && { newHeadCitizenId: await citizenOf(ctx, o.newHead) }) })));

  hh.command('declare-income <householdId>')
    .description('Record the household\'s average monthly income over a period')
    .requiredOption('--azn <amount>', 'average monthly income in AZN', amount)
    .requiredOption('--from <date>', 'first day of the period (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day of the period (YYYY-MM-DD)')
    .requiredOption('--source <code>', 'income source: wages, pension, allowance, self_employment, agriculture, property, tax_service, application, other')
    .option('--declared-on <date>', 'when it was declared (default today)')
    .action((householdId: string, o: { azn: number; from: string; to: string; source: string; declaredOn?: string }) => run(async (ctx) =>
      declareIncome(ctx, CLI, positive(householdId), {
        monthlyIncomeAzn: o.azn, periodFrom: o.from, periodTo: o.to, source: o.source,
        declaredOn: o.declaredOn ?? bakuDate(ctx.now()),
      })));
}
