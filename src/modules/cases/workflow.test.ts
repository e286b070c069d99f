import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkingCalendar } from '../../platform/calendar.ts';
import { allowedActions, deriveState, ESCALATION, escalationsDue, slaStatus, WORKFLOW, STATUSES, type ActionRecord, type Action } from './workflow.ts';

const cal = new WorkingCalendar(new Set(['2026-11-09']));
const at = (iso: string) => new Date(iso);
const rec = (seq: number, action: Action, when: string, data: Record<string, unknown> = {}, actor = 'u1'): ActionRecord => ({ seq, action, at: at(when), actorUserId: actor, data });

test('a new application is submitted with the SLA counted in working days from the Baku date', () => {
  const s = deriveState([rec(1, 'submit', '2026-11-02T06:00:00Z')], 10, cal);
  assert.equal(s.status, 'submitted');
  // Mon 2 Nov + 10 working days, skipping the 9 Nov holiday: 17 Nov.
  assert.equal(s.slaDueOn, '2026-11-17');
  assert.equal(s.assignedTo, null);
});

test('the SLA clock pauses while information is requested and the deadline moves by the paused days', () => {
  const s = deriveState([
    rec(1, 'submit', '2026-11-02T06:00:00Z'),
    rec(2, 'start_review', '2026-11-03T06:00:00Z', {}, 'officer'),
    rec(3, 'request_info', '2026-11-04T06:00:00Z', {}, 'officer'),
  ], 10, cal);
  assert.equal(s.status, 'info_requested');
  assert.equal(s.slaDueOn, null);
  assert.equal(s.assignedTo, 'officer');
  const resumed = deriveState([
    rec(1, 'submit', '2026-11-02T06:00:00Z'),
    rec(2, 'start_review', '2026-11-03T06:00:00Z', {}, 'officer'),
    rec(3, 'request_info', '2026-11-04T06:00:00Z', {}, 'officer'),
    rec(4, 'provide_info', '2026-11-06T06:00:00Z', {}, 'citizen'),
  ], 10, cal);
  assert.equal(resumed.status, 'in_review');
  assert.equal(resumed.pausedWorkingDays, 2); // Thu 5 and Fri 6
  assert.equal(resumed.slaDueOn, '2026-11-19');
});

test('a decision stops the clock and records when', () => {
  const s = deriveState([
    rec(1, 'submit', '2026-11-02T06:00:00Z'), rec(2, 'start_review', '2026-11-03T06:00:00Z'), rec(3, 'approve', '2026-11-05T10:00:00Z'),
  ], 10, cal);
  assert.equal(s.status, 'approved');
  assert.equal(s.slaDueOn, null);
  assert.deepEqual(s.decidedAt, at('2026-11-05T10:00:00Z'));
});

test('a history the table does not allow is refused', () => {
  assert.throws(() => deriveState([rec(1, 'submit', '2026-11-02T06:00:00Z'), rec(2, 'approve', '2026-11-03T06:00:00Z')], 10, cal), /not allowed from submitted/);
  assert.throws(() => deriveState([rec(1, 'start_review', '2026-11-02T06:00:00Z')], 10, cal), /not allowed from nothing/);
});

test('assign records the assignee, defaulting to the actor', () => {
  const s = deriveState([rec(1, 'submit', '2026-11-02T06:00:00Z'), rec(2, 'assign', '2026-11-02T07:00:00Z', { assigneeId: 'o2' }, 'mgr')], 5, cal);
  assert.equal(s.assignedTo, 'o2');
  assert.equal(s.status, 'submitted');
});

test('allowed actions follow the table, role and ownership', () => {
  assert.deepEqual(allowedActions(['officer'], 'submitted', false), ['assign', 'start_review']);
  assert.deepEqual(allowedActions(['officer'], 'in_review', false), ['assign', 'request_info', 'approve', 'reject']);
  assert.deepEqual(allowedActions(['citizen'], 'info_requested', true), ['provide_info', 'withdraw']);
  assert.deepEqual(allowedActions(['citizen'], 'info_requested', false), []);
  assert.deepEqual(allowedActions(['analyst'], 'in_review', false), []);
  for (const s of STATUSES) if (['approved', 'rejected', 'withdrawn'].includes(s)) assert.deepEqual(allowedActions(['officer', 'citizen', 'admin'], s, true), []);
});

test('every transition leads to a known status', () => {
  for (const [name, t] of Object.entries(WORKFLOW)) {
    if (t.to !== null) assert.ok((STATUSES as readonly string[]).includes(t.to), name);
    for (const f of t.from) if (f !== null) assert.ok((STATUSES as readonly string[]).includes(f), name);
  }
});

test('SLA badge: ok, due soon, overdue, paused, closed', () => {
  assert.deepEqual(slaStatus('in_review', '2026-11-20', '2026-11-12', cal), { slaState: 'ok', workingDaysLeft: 6 });
  assert.deepEqual(slaStatus('in_review', '2026-11-20', '2026-11-18', cal), { slaState: 'due_soon', workingDaysLeft: 2 });
  assert.deepEqual(slaStatus('submitted', '2026-11-20', '2026-11-23', cal), { slaState: 'overdue', workingDaysLeft: -1 });
  assert.deepEqual(slaStatus('info_requested', null, '2026-11-23', cal), { slaState: 'paused', workingDaysLeft: null });
  assert.deepEqual(slaStatus('approved', null, '2026-11-23', cal), { slaState: 'closed', workingDaysLeft: null });
});

test('escalate actions raise the escalation level and change nothing else; levels only go up', () => {
  const base = [rec(1, 'submit', '2026-11-02T06:00:00Z'), rec(2, 'start_review', '2026-11-03T06:00:00Z', {}, 'officer')];
  const plain = deriveState(base, 10, cal);
  const s = deriveState([...base, rec(3, 'escalate', '2026-11-19T06:00:00Z', { level: 1 }, null as never), rec(4, 'escalate', '2026-11-25T06:00:00Z', { level: 2 })], 10, cal);
  assert.equal(plain.escalationLevel, 0);
  assert.equal(s.escalationLevel, 2);
  assert.deepEqual({ ...s, escalationLevel: 0 }, plain);
  assert.throws(() => deriveState([...base, rec(3, 'request_info', '2026-11-04T06:00:00Z'), rec(4, 'escalate', '2026-11-25T06:00:00Z', { level: 1 })], 10, cal), /not allowed/);
});

test('escalationsDue follows the ESCALATION table: level 1 a working day past due, level 2 five; none while paused', () => {
  // Due Tue 17 Nov 2026; 9 Nov is a holiday in this calendar but not in the range.
  assert.deepEqual(escalationsDue('in_review', '2026-11-17', 0, '2026-11-17', cal), []);
  assert.deepEqual(escalationsDue('in_review', '2026-11-17', 0, '2026-11-18', cal).map((d) => d.step.level), [1]);
  assert.deepEqual(escalationsDue('in_review', '2026-11-17', 1, '2026-11-23', cal).map((d) => d.step.level), []); // 4 working days
  assert.deepEqual(escalationsDue('in_review', '2026-11-17', 1, '2026-11-24', cal).map((d) => d.step.level), [2]);
  assert.deepEqual(escalationsDue('submitted', '2026-11-17', 0, '2026-12-30', cal).map((d) => d.step.level), [1, 2]);
  assert.deepEqual(escalationsDue('info_requested', null, 0, '2026-12-30', cal), []);
  assert.deepEqual(escalationsDue('approved', null, 0, '2026-12-30', cal), []);
  assert.equal(ESCALATION.submitted?.[0]?.notify, 'center_manager');
  assert.equal(allowedActions(['officer', 'center_manager', 'admin'], 'in_review', false).includes('escalate'), false);
});
