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
