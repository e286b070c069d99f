-- Applications (cases): the current-state projection and the append-only action history
-- it is derived from.

CREATE SEQUENCE application_number_seq;
CREATE TABLE applications (
  citizen_id     bigint NOT NULL REFERENCES citizens,
  application_id uuid NOT NULL DEFAULT gen_random_uuid(),
  reference      text NOT NULL UNIQUE,
  service_code   text NOT NULL REFERENCES services,
  status         text NOT NULL,
  channel        text NOT NULL CHECK (channel IN ('online', 'center', 'call_center', 'proactive')),
  center_code    text REFERENCES centers,
  submitted_by   uuid REFERENCES users,
  assisted       boolean NOT NULL DEFAULT false,
  assigned_to    uuid REFERENCES users,
  data           jsonb NOT NULL,
  submitted_at   timestamptz NOT NULL DEFAULT now(),
  status_since   timestamptz NOT NULL DEFAULT now(),
  sla_due_on     date,
  decided_at     timestamptz,
  last_seq       integer NOT NULL DEFAULT 1,
  PRIMARY KEY (citizen_id, application_id)
);
CREATE INDEX applications_inbox_idx ON applications (status, sla_due_on);
CREATE INDEX applications_service_idx ON applications (service_code, status);
CREATE INDEX applications_assignee_idx ON applications (assigned_to, status);
CREATE INDEX applications_center_idx ON applications (center_code, status);
COMMENT ON TABLE applications IS 'A citizen''s application for a service; status and SLA are a projection of application_actions.';
COMMENT ON COLUMN applications.citizen_id IS 'Applicant (distribution column).';
COMMENT ON COLUMN applications.application_id IS 'Key within the citizen.';
COMMENT ON COLUMN applications.reference IS 'Human reference, e.g. DOST-2026-0000123, printed on receipts.';
COMMENT ON COLUMN applications.service_code IS 'Service applied for.';
COMMENT ON COLUMN applications.status IS 'Current status, derived from the actions by the workflow table.';
COMMENT ON COLUMN applications.channel IS 'Where it was submitted: online, center, call_center or proactive.';
COMMENT ON COLUMN applications.center_code IS 'Center where it was submitted, if any.';
COMMENT ON COLUMN applications.submitted_by IS 'User who submitted it (the citizen, or staff on their behalf).';
COMMENT ON COLUMN applications.assisted IS 'True when staff submitted it on the citizen''s behalf.';
COMMENT ON COLUMN applications.assigned_to IS 'Officer working the case.';
COMMENT ON COLUMN applications.data IS 'Form answers, validated against the service form.';
COMMENT ON COLUMN applications.submitted_at IS 'When it was submitted.';
COMMENT ON COLUMN applications.status_since IS 'When the current status began.';
COMMENT ON COLUMN applications.sla_due_on IS 'Working-day deadline for a decision; NULL while the clock is stopped.';
COMMENT ON COLUMN applications.decided_at IS 'When approved or rejected.';
COMMENT ON COLUMN applications.last_seq IS 'Sequence number of the last action (optimistic concurrency).';

CREATE TABLE application_actions (
  citizen_id     bigint NOT NULL,
  application_id uuid NOT NULL,
  seq            integer NOT NULL,
  action         text NOT NULL,
  actor_user_id  uuid REFERENCES users,
  actor_role     text NOT NULL,
  at             timestamptz NOT NULL DEFAULT now(),
  comment        text,
  reason         text,
  data           jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (citizen_id, application_id, seq),
  FOREIGN KEY (citizen_id, application_id) REFERENCES applications
);
COMMENT ON TABLE application_actions IS 'Append-only history of an application; the status is a pure function of this list.';
COMMENT ON COLUMN application_actions.citizen_id IS 'Applicant (distribution column).';
COMMENT ON COLUMN application_actions.application_id IS 'The application.';
COMMENT ON COLUMN application_actions.seq IS '1, 2, 3... within the application.';
COMMENT ON COLUMN application_actions.action IS 'submit, assign, start_review, request_info, provide_info, approve, reject, withdraw.';
COMMENT ON COLUMN application_actions.actor_user_id IS 'Who took it; NULL for the system.';
COMMENT ON COLUMN application_actions.actor_role IS 'In which role.';
COMMENT ON COLUMN application_actions.at IS 'When.';
COMMENT ON COLUMN application_actions.comment IS 'Free text shown on the timeline (e.g. what information is needed).';
COMMENT ON COLUMN application_actions.reason IS 'Reason code for decisions (e.g. not_eligible, incomplete_documents).';
COMMENT ON COLUMN application_actions.data IS 'Action payload (e.g. assignee, supplied answers).';
CREATE TRIGGER application_actions_append_only BEFORE UPDATE OR DELETE ON application_actions
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
