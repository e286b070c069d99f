-- Platform tables: the transactional outbox, the audit log of personal-data reads,
-- and idempotency keys for every create.

CREATE TABLE outbox (
  event_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic        text        NOT NULL,
  payload      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  attempts     integer     NOT NULL DEFAULT 0,
  last_error   text
);
CREATE INDEX outbox_pending_idx ON outbox (available_at, event_id) WHERE processed_at IS NULL;
COMMENT ON TABLE outbox IS 'Transactional outbox: domain events written in the same transaction as the change that caused them, delivered at least once to consumers.';
COMMENT ON COLUMN outbox.event_id IS 'Monotonic event id; consumers process in this order.';
COMMENT ON COLUMN outbox.topic IS 'Event name, e.g. registry.life_event.recorded.';
COMMENT ON COLUMN outbox.payload IS 'Event body as JSON; ids, never whole rows of another module.';
COMMENT ON COLUMN outbox.created_at IS 'When the event was written.';
COMMENT ON COLUMN outbox.available_at IS 'Not delivered before this time (retry back-off).';
COMMENT ON COLUMN outbox.processed_at IS 'When a consumer finished it; NULL while pending.';
COMMENT ON COLUMN outbox.attempts IS 'Delivery attempts so far.';
COMMENT ON COLUMN outbox.last_error IS 'Error text of the last failed attempt.';

CREATE TABLE audit_log (
  audit_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  actor_user_id  uuid,
  actor_username text,
  actor_roles    text[]      NOT NULL DEFAULT '{}',
  action         text        NOT NULL,
  citizen_id     bigint,
  resource       text        NOT NULL,
  purpose        text        NOT NULL,
  request_id     text,
  ip             text
);
CREATE INDEX audit_log_citizen_idx ON audit_log (citizen_id, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, at DESC);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
COMMENT ON TABLE audit_log IS 'Append-only record of every read or change of a citizen''s personal data: who, what, why, when.';
COMMENT ON COLUMN audit_log.audit_id IS 'Surrogate key, increasing with time.';
COMMENT ON COLUMN audit_log.at IS 'When the access happened.';
COMMENT ON COLUMN audit_log.actor_user_id IS 'User who accessed the data; NULL for system jobs.';
COMMENT ON COLUMN audit_log.actor_username IS 'Username at the time of access (kept even if the user is renamed).';
COMMENT ON COLUMN audit_log.actor_roles IS 'Roles the actor held at the time.';
COMMENT ON COLUMN audit_log.action IS 'What was done, e.g. citizen.read, application.read, citizen.import.';
COMMENT ON COLUMN audit_log.citizen_id IS 'Whose data was accessed; NULL for bulk operations.';
COMMENT ON COLUMN audit_log.resource IS 'The resource path or identifier accessed.';
COMMENT ON COLUMN audit_log.purpose IS 'Why: the business purpose given or implied by the endpoint.';
COMMENT ON COLUMN audit_log.request_id IS 'Request id, to join with the logs.';
COMMENT ON COLUMN audit_log.ip IS 'Client address as seen by the server.';

CREATE TABLE idempotency_keys (
  scope        text        NOT NULL,
  key          text        NOT NULL,
  request_hash text        NOT NULL,
  status_code  integer     NOT NULL,
  response     jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
COMMENT ON TABLE idempotency_keys IS 'Responses to creating requests, keyed by the caller''s Idempotency-Key, so a retried request returns the first result instead of creating a duplicate.';
COMMENT ON COLUMN idempotency_keys.scope IS 'Whose key: the user id plus the operation.';
COMMENT ON COLUMN idempotency_keys.key IS 'The Idempotency-Key header value.';
COMMENT ON COLUMN idempotency_keys.request_hash IS 'SHA-256 of the request body; the same key with another body is refused.';
COMMENT ON COLUMN idempotency_keys.status_code IS 'HTTP status of the first response.';
COMMENT ON COLUMN idempotency_keys.response IS 'Body of the first response.';
COMMENT ON COLUMN idempotency_keys.created_at IS 'When the key was first used.';
