-- Sign-in through the national identity provider (OpenID Connect, authorization code + PKCE).

CREATE TABLE oidc_login_states (
  state         text PRIMARY KEY,
  code_verifier text NOT NULL,
  nonce         text NOT NULL,
  return_to     text NOT NULL DEFAULT '/',
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
COMMENT ON TABLE oidc_login_states IS 'Sign-ins started at the identity provider and not yet finished; each is used once and expires in minutes.';
COMMENT ON COLUMN oidc_login_states.state IS 'Random state sent to the provider and checked on return (CSRF protection of the callback).';
COMMENT ON COLUMN oidc_login_states.code_verifier IS 'PKCE code verifier for this sign-in.';
COMMENT ON COLUMN oidc_login_states.nonce IS 'Nonce the ID token must carry.';
COMMENT ON COLUMN oidc_login_states.return_to IS 'Path of the web app to return to after sign-in.';
COMMENT ON COLUMN oidc_login_states.created_at IS 'When the sign-in started.';
COMMENT ON COLUMN oidc_login_states.expires_at IS 'After this the callback is refused.';
