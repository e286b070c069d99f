import type { Db } from './db.ts';

/**
 * Working-day arithmetic for SLAs: Monday–Friday, minus the public holidays in the `holidays`
 * table, plus the weekend days the Cabinet made working days in exchange for a rest day
 * (`working_days`); both loaded from data/calendar/holidays-az.json. Dates are 'YYYY-MM-DD'
 * strings in Baku time.
 */
export class WorkingCalendar {
  constructor(private readonly holidays: ReadonlySet<string>, private readonly workedWeekendDays: ReadonlySet<string> = new Set()) {}

  /** Loads the holidays and the transferred working days from the database. */
  static async load(db: Db): Promise<WorkingCalendar> {
    const [holidays, worked] = await Promise.all([
      db.selectFrom('holidays').select('holiday_date').execute(),
      db.selectFrom('working_days').select('work_date').execute(),
    ]);
    return new WorkingCalendar(new Set(holidays.map((r) => r.holiday_date)), new Set(worked.map((r) => r.work_date)));
  }

  isWorkingDay(date: string): boolean {
    if (this.workedWeekendDays.has(date)) return true;
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    return dow !== 0 && dow !== 6 && !this.holidays.has(date);
  }

  /** The date `n` working days after `date` (n = 0: `date` itself if working, else the next working day). */
  addWorkingDays(date: string, n: number): string {
    let d = date;
    while (!this.isWorkingDay(d)) d = nextDay(d);
    for (let i = 0; i < n; ) {
      d = nextDay(d);
      if (this.isWorkingDay(d)) i++;
    }
    return d;
  }

  /** Working days after `from` up to and including `to`; negative when `to` is before `from`. */
  workingDaysBetween(from: string, to: string): number {
    if (to < from) return -this.workingDaysBetween(to, from);
    let n = 0;
    for (let d = from; d < to; ) {
      d = nextDay(d);
      if (this.isWorkingDay(d)) n++;
    }
    return n;
  }
}

const nextDay = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/** Today's date in Baku (UTC+4, no daylight saving since 2016). */
export function bakuDate(at: Date): string {
  return new Date(at.getTime() + 4 * 3600_000).toISOString().slice(0, 10);
}
