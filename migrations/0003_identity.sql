-- Identity and access: users with roles, sessions and bearer tokens.

CREATE TABLE users (
  user_id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username         text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
  display_name     text NOT NULL,
  password_hash    text,
  roles            text[] NOT NULL CHECK (cardinality(roles) > 0),
  citizen_id       bigint,
  center_code      text REFERENCES centers,
  locale           text NOT NULL DEFAULT 'az' CHECK (locale IN ('az', 'ru', 'en')),
  disabled         boolean NOT NULL DEFAULT false,
  failed_attempts  integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  oidc_subject     text UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_citizen_idx ON users (citizen_id);
COMMENT ON TABLE users IS 'People who sign in: citizens, operators, officers, managers, call-center agents, analysts, admins.';
COMMENT ON COLUMN users.user_id IS 'Surrogate key.';
COMMENT ON COLUMN users.username IS 'Login name (lower case).';
COMMENT ON COLUMN users.display_name IS 'Name shown in the interface.';
COMMENT ON COLUMN users.password_hash IS 'argon2id hash; NULL for users who only sign in through OIDC.';
COMMENT ON COLUMN users.roles IS 'Roles: citizen, operator, officer, center_manager, call_center_agent, analyst, admin.';
COMMENT ON COLUMN users.citizen_id IS 'For citizen users, the registry person they are.';
COMMENT ON COLUMN users.center_code IS 'For center staff, their center.';
COMMENT ON COLUMN users.locale IS 'Preferred language: az, ru or en.';
COMMENT ON COLUMN users.disabled IS 'A disabled user cannot sign in.';
COMMENT ON COLUMN users.failed_attempts IS 'Consecutive failed password attempts.';
COMMENT ON COLUMN users.locked_until IS 'Sign-in refused until this time after too many failures.';
COMMENT ON COLUMN users.oidc_subject IS 'Subject at the national identity provider, when linked.';
COMMENT ON COLUMN users.created_at IS 'When the user was created.';
COMMENT ON COLUMN users.updated_at IS 'When the user was last changed.';

CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ip           text,
  user_agent   text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
COMMENT ON TABLE sessions IS 'Signed-in sessions (web cookie) and API bearer tokens; only a hash of the token is stored.';
COMMENT ON COLUMN sessions.token_hash IS 'SHA-256 of the secret token.';
COMMENT ON COLUMN sessions.user_id IS 'Whose session.';
COMMENT ON COLUMN sessions.kind IS 'cookie (web app, needs CSRF token) or bearer (API).';
COMMENT ON COLUMN sessions.csrf_token IS 'Synchronizer token the web app sends in X-CSRF-Token on every change.';
COMMENT ON COLUMN sessions.created_at IS 'When the session began.';
COMMENT ON COLUMN sessions.expires_at IS 'Hard expiry.';
COMMENT ON COLUMN sessions.last_seen_at IS 'Last request made with it.';
COMMENT ON COLUMN sessions.ip IS 'Address at sign-in.';
COMMENT ON COLUMN sessions.user_agent IS 'Browser or client at sign-in.';
