-- Time moves by itself: runs of the periodic jobs (the nightly benefits sweep, SLA escalation),
-- escalation of overdue cases with staff notifications, and the transferred working days of the
-- calendar.

CREATE TABLE scheduled_job_runs (
  run_id          bigserial PRIMARY KEY,
  job             text NOT NULL,
  trigger         text NOT NULL CHECK (trigger IN ('schedule', 'catch_up', 'manual')),
  scheduled_for   timestamptz,
  status          text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz,
  started_by      uuid REFERENCES users,
  process         text NOT NULL,
  progress_done   integer NOT NULL DEFAULT 0,
  progress_total  integer,
  summary         jsonb,
  error           text
);
-- One run per scheduled slot, whichever process gets there first.
CREATE UNIQUE INDEX scheduled_job_runs_slot_key ON scheduled_job_runs (job, scheduled_for) WHERE scheduled_for IS NOT NULL;
-- Never two runs of one job at once, across every API process.
CREATE UNIQUE INDEX scheduled_job_runs_running_key ON scheduled_job_runs (job) WHERE status = 'running';
CREATE INDEX scheduled_job_runs_recent_idx ON scheduled_job_runs (job, started_at DESC);
COMMENT ON TABLE scheduled_job_runs IS 'One row per run of a periodic job (scheduled, caught up after downtime, or started by an administrator), shown to administrators.';
COMMENT ON COLUMN scheduled_job_runs.run_id IS 'Run number.';
COMMENT ON COLUMN scheduled_job_runs.job IS 'Job name, e.g. benefits.sweep or cases.escalate.';
COMMENT ON COLUMN scheduled_job_runs.trigger IS 'schedule (its time came), catch_up (its time passed while no server ran), manual (an administrator asked).';
COMMENT ON COLUMN scheduled_job_runs.scheduled_for IS 'The scheduled time this run is for; NULL for a manual run.';
COMMENT ON COLUMN scheduled_job_runs.status IS 'running, succeeded or failed.';
COMMENT ON COLUMN scheduled_job_runs.started_at IS 'When the run started.';
COMMENT ON COLUMN scheduled_job_runs.finished_at IS 'When it ended; NULL while running.';
COMMENT ON COLUMN scheduled_job_runs.started_by IS 'Administrator who started a manual run.';
COMMENT ON COLUMN scheduled_job_runs.process IS 'Host and process id that ran it.';
COMMENT ON COLUMN scheduled_job_runs.progress_done IS 'Steps done so far (e.g. benefits swept).';
COMMENT ON COLUMN scheduled_job_runs.progress_total IS 'Steps in all, when known.';
COMMENT ON COLUMN scheduled_job_runs.summary IS 'Counts the job reports when done (e.g. per benefit: evaluated, assigned, ended).';
COMMENT ON COLUMN scheduled_job_runs.error IS 'Why a failed run failed.';

ALTER TABLE applications ADD COLUMN escalation_level integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN applications.escalation_level IS 'How far an overdue case has been escalated (0 none; levels in the workflow table), derived from its escalate actions.';

CREATE TABLE staff_notifications (
  notification_id bigserial PRIMARY KEY,
  recipient_role  text NOT NULL,
  center_code     text REFERENCES centers,
  kind            text NOT NULL,
  citizen_id      bigint NOT NULL,
  application_id  uuid NOT NULL,
  reference       text NOT NULL,
  level           integer NOT NULL,
  data            jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL,
  UNIQUE (application_id, kind, level, recipient_role),
  FOREIGN KEY (citizen_id, application_id) REFERENCES applications
);
CREATE INDEX staff_notifications_recipient_idx ON staff_notifications (recipient_role, center_code, created_at DESC);
COMMENT ON TABLE staff_notifications IS 'Notices to staff by role (and center), e.g. a supervisor told that a case is overdue and escalated.';
COMMENT ON COLUMN staff_notifications.notification_id IS 'Notice number.';
COMMENT ON COLUMN staff_notifications.recipient_role IS 'Role that is told (center_manager for level 1, admin for level 2).';
COMMENT ON COLUMN staff_notifications.center_code IS 'Center whose staff in that role are told; NULL: everyone in the role.';
COMMENT ON COLUMN staff_notifications.kind IS 'What happened: escalated.';
COMMENT ON COLUMN staff_notifications.citizen_id IS 'Applicant of the case (distribution column of the application).';
COMMENT ON COLUMN staff_notifications.application_id IS 'The case.';
COMMENT ON COLUMN staff_notifications.reference IS 'The case''s human reference.';
COMMENT ON COLUMN staff_notifications.level IS 'Escalation level reached.';
COMMENT ON COLUMN staff_notifications.data IS 'Details: service, SLA due date, working days overdue.';
COMMENT ON COLUMN staff_notifications.created_at IS 'When it was sent.';

CREATE TABLE working_days (
  work_date date PRIMARY KEY,
  note      text NOT NULL
);
COMMENT ON TABLE working_days IS 'Weekend days the Cabinet of Ministers made working days (swapped with a rest day); they count as working days for SLAs.';
COMMENT ON COLUMN working_days.work_date IS 'The weekend day that is worked.';
COMMENT ON COLUMN working_days.note IS 'Where it comes from (the holiday file).';
