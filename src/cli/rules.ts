import { Command, InvalidArgumentError } from 'commander';
import { recordAudit } from '../platform/audit.ts';
import type { Actor } from '../platform/context.ts';
import { evaluateWithTrace, getRuleBook, simulate, sweep, todayOf } from '../modules/benefits/index.ts';
import { RulesLoadError, ruleParams, type UsedParameter } from '../rules/index.ts';
import { parseFin } from '../modules/registry/index.ts';
import { withContext } from './context.ts';
import { createProgress } from './progress.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = (v: string) => {
  if (!DATE.test(v)) throw new InvalidArgumentError('must be YYYY-MM-DD');
  return v;
};
const out = (s: string) => process.stdout.write(`${s}\n`);

/** The CLI acts as a system user: audited as such. */
const SYSTEM: Actor = { userId: '00000000-0000-0000-0000-000000000000', username: 'cli', displayName: 'dost CLI', roles: ['admin'], citizenId: null, centerCode: null, locale: 'en' };


/** Runs an action; a broken rule or parameter file is reported with its file, path and problem (exit 2). */
const guarded = <A extends unknown[]>(fn: (...args: A) => Promise<void>) => async (...args: A) => {
  try {
    await fn(...args);
  } catch (e) {
    if (!(e instanceof RulesLoadError)) throw e;
    process.stderr.write(`dost: ${e.message}\n`);
    process.exitCode = 2;
  }
};

/** A parameter as the trace shows it: value, the date it took effect, sources, and whether it is unconfirmed. */
const param = (p: UsedParameter) =>
  `${p.name}=${p.value ?? '—'} (from ${p.from ?? '—'}${p.sources.length ? `; sources ${p.sources.map((x) => `[${x.id}]`).join('')}` : ''}${p.unconfirmed ? '; unconfirmed' : ''})`;

/** Adds `dost rules list|explain FIN BENEFIT|sweep|simulate`. */
export function registerRulesCommands(program: Command): void {
  const rules = program.command('rules').description('Benefit rules: list, explain a decision, sweep everyone, simulate a parameter change');

  rules.command('list').description('Every rule with its version, effective dates, consent and parameters')
    .action(guarded(async () => {
      const rb = await getRuleBook();
      for (const r of rb.rules) {
        out(`${r.id}@${r.version}  ${r.effective.from}…${r.effective.to ?? ''}  ${r.consent === 'required' ? 'offer (consent)' : 'direct'}  ${r.payment}  triggers: ${r.triggers.join(',')}`);
        out(`  ${r.name.en} — ${r.legalBasis}`);
        for (const p of ruleParams(r)) {
          const values = rb.params.parameters.get(p)!.values.map((v) => `${v.from}: ${v.value}${v.unconfirmed ? ' (unconfirmed)' : ''}`).join('; ');
          out(`    ${p} = ${values}`);
        }
      }
    }));

  rules.command('explain <fin> <benefit>').description('The evaluation trace of a benefit for a citizen (audited)')
    .option('--date <d>', 'evaluate at this date (YYYY-MM-DD); today in Baku by default', isoDate)
    .action(guarded(async (fin: string, benefit: string, opts: { date?: string }) => {
      await withContext(async (ctx) => {
        const rb = await getRuleBook();
        const rule = rb.byId.get(benefit);
        if (!rule) throw new InvalidArgumentError(`unknown benefit ${benefit}; see dost rules list`);
        const normalized = parseFin(fin);
        if (!normalized) throw new InvalidArgumentError(`"${fin}" is not a FIN: 7 characters, digits and Latin letters except I and O (any letter case)`);
        const c = await ctx.db.selectFrom('citizens').select('citizen_id').where('fin', '=', normalized).executeTakeFirst();
        if (!c) throw new InvalidArgumentError(`no citizen with FIN ${normalized}`);
        const today = opts.date ?? todayOf(ctx);
        const results = await evaluateWithTrace(ctx.db, rb, rule, today, { beneficiaryIds: [c.citizen_id] });
        await recordAudit(ctx.db, SYSTEM, { action: 'benefit.explain', citizenId: c.citizen_id, resource: `cli rules explain ${benefit}`, purpose: 'explain a benefit decision (CLI)' });
        if (results.length === 0) out(`${rule.name.en}: nothing to evaluate for ${fin} on ${today} (no ${rule.subject} where they would receive it)`);
        for (const r of results) {
          const e = r.evaluation;
          out(`${rule.name.en} [${r.subjectKey}] on ${e.evalDate}: ${e.outcome}${e.amount !== null ? ` — ${e.amount} AZN` : ''}${e.missing.length ? ` (missing ${e.missing.join(', ')})` : ''}`);
          for (const s of e.trace) {
            out(`  ${s.result === true ? '✓' : s.result === false ? '✗' : '?'} ${s.condition}: ${s.explanation.en}`);
            out(`      facts ${JSON.stringify(s.facts)}${s.parameters.length ? `; parameters ${s.parameters.map(param).join(', ')}` : ''}; ${s.legal}`);
          }
          const a = e.amountStep;
          if (a) {
            out(`  = ${a.explanation.en}`);
            out(`      facts ${JSON.stringify(a.facts)}${a.parameters.length ? `; parameters ${a.parameters.map(param).join(', ')}` : ''}; ${a.legal}`);
            for (const src of new Map(a.parameters.flatMap((p) => p.sources.map((x) => [x.id, x] as const))).values()) out(`      [${src.id}] ${src.title}${src.url ? ` ${src.url}` : ''}`);
          }
        }
      });
    }));

  rules.command('sweep').description('Evaluate every benefit for everyone in the database and record the decisions (idempotent)')
    .option('--date <d>', 'evaluate at this date (YYYY-MM-DD); today in Baku by default', isoDate)
    .action(guarded(async (opts: { date?: string }) => {
      await withContext(async (ctx) => {
        const rb = await getRuleBook();
        const today = opts.date ?? todayOf(ctx);
        const bar = createProgress({ label: `Sweeping ${rb.byId.size} benefits at ${today}`, total: rb.byId.size, unit: 'rules' });
        const started = performance.now();
        const failed: { benefit: string; error: string }[] = [];
        const result = await sweep(ctx.db, rb, today, (_id, done) => bar.update(done), failed);
        bar.stop();
        for (const f of failed) out(`${f.benefit.padEnd(28)} FAILED: ${f.error}`);
        for (const [id, s] of Object.entries(result)) {
          out(`${id.padEnd(28)} evaluated ${s.evaluated}, eligible ${s.eligible}, not ${s.notEligible}, cannot decide ${s.cannotDecide}; assigned ${s.assigned}, offered ${s.offered}, ended ${s.ended}, recalculated ${s.recalculated}, withdrawn ${s.withdrawn}`);
        }
        out(`done in ${((performance.now() - started) / 1000).toFixed(1)} s${failed.length ? `; ${failed.length} rule(s) failed` : ''}`);
        if (failed.length) process.exitCode = 1;
      });
    }));

  rules.command('simulate').description('What if a parameter changed from a date: gainers, losers and monthly cost by region')
    .requiredOption('--parameter <name>', 'parameter name, e.g. need_criterion')
    .requiredOption('--value <n>', 'new value', (v) => { const n = Number(v); if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number'); return n; })
    .option('--from <d>', 'from this date (YYYY-MM-DD); today by default', isoDate)
    .action(guarded(async (opts: { parameter: string; value: number; from?: string }) => {
      await withContext(async (ctx) => {
        const r = await simulate(ctx, SYSTEM, { parameter: opts.parameter, value: opts.value, from: opts.from ?? todayOf(ctx) });
        out(`${r.parameter}: ${r.current} → ${r.value} from ${r.from}: ${r.gainers} gain, ${r.losers} lose, cost change ${r.costChangeAzn} AZN`);
        for (const b of r.benefits) out(`  ${b.benefit.padEnd(28)} +${b.gainers} −${b.losers}  ${b.costChangeAzn} AZN`);
        for (const g of r.regions.filter((x) => x.gainers || x.losers)) out(`  ${g.region} ${g.name.padEnd(24)} +${g.gainers} −${g.losers}  ${g.costChangeAzn} AZN`);
      });
    }));
}
