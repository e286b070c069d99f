import type { AppContext } from '../../platform/context.ts';
import { getRuleBook, sweep, todayOf, type FailedRule } from '../benefits/index.ts';
import { escalateOverdueCases } from '../cases/index.ts';

/** What a job reports while it runs. */
export type Progress = (done: number, total: number | null) => Promise<void>;

/** A periodic job: its name, when it runs each day (Baku time) and what it does. */
export interface JobDefinition {
  name: string;
  description: string;
  /** 'HH:MM', Baku time (UTC+4). */
  dailyAt: string;
  /** Does the work and returns summary counts; should stop early when `signal` aborts. */
  run(ctx: AppContext, progress: Progress, signal: AbortSignal): Promise<Record<string, unknown>>;
}

/** Stopped by the server's shutdown: the run is recorded as failed and the next one starts afresh. */
export class JobStopped extends Error {
  constructor() { super('stopped: the server shut down during the run'); }
}

const COUNTS = ['evaluated', 'eligible', 'notEligible', 'cannotDecide', 'assigned', 'offered', 'ended', 'recalculated', 'withdrawn'] as const;

/** The jobs this product runs, with the times from the configuration. */
export function productJobs(ctx: Pick<AppContext, 'config'>): JobDefinition[] {
  return [
    {
      name: 'benefits.sweep',
      description: 'Re-evaluates every benefit for everyone, so time-based eligibility (pension age, a child\'s birthday, an assignment\'s end) is decided without a life event',
      dailyAt: ctx.config.sweepAt,
      async run(c, progress, signal) {
        const rb = await getRuleBook();
        await progress(0, rb.byId.size);
        // Progress rows are written in order, and all of them before the run is recorded as finished.
        let reported = Promise.resolve();
        // A rule that fails is recorded here and the others go on; the run's summary shows it.
        const failedRules: FailedRule[] = [];
        const result = await sweep(c.db, rb, todayOf(c), (_id, done, total) => {
          reported = reported.then(() => progress(done, total));
          if (signal.aborted) throw new JobStopped();
        }, failedRules);
        await reported;
        const totals = Object.fromEntries(COUNTS.map((k) => [k, Object.values(result).reduce((n, s) => n + (s[k] ?? 0), 0)]));
        return { date: todayOf(c), totals, benefits: result, failedRules };
      },
    },
    {
      name: 'cases.escalate',
      description: 'Escalates overdue cases by the workflow table: the center manager is told, then head office',
      dailyAt: ctx.config.escalationAt,
      async run(c, progress) {
        let reported = Promise.resolve();
        const s = await escalateOverdueCases(c, (done) => { reported = reported.then(() => progress(done, null)); });
        await reported;
        return { date: todayOf(c), ...s };
      },
    },
  ];
}
