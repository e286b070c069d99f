import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkingCalendar, bakuDate } from './calendar.ts';

// Novruz 2026: 20–24 March (Fri–Tue) plus transfers; a small fixed set keeps the test exact.
const cal = new WorkingCalendar(new Set(['2026-03-20', '2026-03-23', '2026-03-24', '2026-05-28']));

test('weekends and holidays are not working days', () => {
  assert.equal(cal.isWorkingDay('2026-03-19'), true); // Thursday
  assert.equal(cal.isWorkingDay('2026-03-20'), false); // holiday
  assert.equal(cal.isWorkingDay('2026-03-21'), false); // Saturday
  assert.equal(cal.isWorkingDay('2026-03-22'), false); // Sunday
});

test('addWorkingDays skips weekends and holidays', () => {
  assert.equal(cal.addWorkingDays('2026-03-19', 1), '2026-03-25');
  assert.equal(cal.addWorkingDays('2026-03-19', 0), '2026-03-19');
  assert.equal(cal.addWorkingDays('2026-03-21', 0), '2026-03-25'); // a Saturday rolls to the next working day
  assert.equal(cal.addWorkingDays('2026-11-20', 5), '2026-11-27'); // Fri + 5 = next Fri
});

test('workingDaysBetween counts days after from up to and including to', () => {
  assert.equal(cal.workingDaysBetween('2026-03-19', '2026-03-25'), 1);
  assert.equal(cal.workingDaysBetween('2026-11-20', '2026-11-27'), 5);
  assert.equal(cal.workingDaysBetween('2026-11-27', '2026-11-20'), -5);
  assert.equal(cal.workingDaysBetween('2026-11-20', '2026-11-20'), 0);
});

test('bakuDate is UTC+4', () => {
  assert.equal(bakuDate(new Date('2026-11-22T20:30:00Z')), '2026-11-23');
  assert.equal(bakuDate(new Date('2026-11-22T19:59:00Z')), '2026-11-22');
});

test('a weekend day made a working day (a Cabinet swap) counts as a working day', () => {
  // 12–13 Nov 2024 (Tue–Wed) were rest days, worked on Saturdays 16 and 23 Nov.
  const swap = new WorkingCalendar(new Set(['2024-11-12', '2024-11-13']), new Set(['2024-11-16', '2024-11-23']));
  assert.equal(swap.isWorkingDay('2024-11-16'), true);
  assert.equal(swap.isWorkingDay('2024-11-17'), false); // the Sunday after stays a rest day
  assert.equal(swap.addWorkingDays('2024-11-15', 1), '2024-11-16'); // Fri + 1 = the working Saturday
  assert.equal(swap.workingDaysBetween('2024-11-11', '2024-11-18'), 4); // Thu, Fri, Sat 16, Mon
});

test('the calendar loaded from the reference data honours the working Saturdays of the holiday file', async () => {
  const { createTestDatabase } = await import('../test/db.ts');
  const d = await createTestDatabase();
  try {
    const loaded = await WorkingCalendar.load(d.db);
    for (const day of ['2024-04-06', '2024-11-16', '2024-11-23', '2024-12-28', '2024-12-29', '2024-01-07']) assert.equal(loaded.isWorkingDay(day), true, day);
    assert.equal(loaded.isWorkingDay('2024-11-12'), false); // the rest day it was swapped with
    // An SLA of 5 working days from Thu 14 Nov 2024 ends on Wed 20 Nov (Sat 16 worked), not Thu 21.
    assert.equal(loaded.addWorkingDays('2024-11-14', 5), '2024-11-20');
  } finally {
    await d.close();
  }
});
