-- Application clients get a display name, an optional token lifetime and a revocation time. A revoked client keeps
-- its row: the revocation list tells the other services to refuse its tokens issued before revoked_at.
ALTER TABLE app_client
    ADD COLUMN name                    VARCHAR(128),
    ADD COLUMN token_lifetime_seconds  INTEGER,
    ADD COLUMN revoked_at              TIMESTAMPTZ;
UPDATE app_client SET name = client_id WHERE name IS NULL;
ALTER TABLE app_client
    ALTER COLUMN name SET NOT NULL,
    ADD CONSTRAINT app_client_token_lifetime_positive CHECK (token_lifetime_seconds IS NULL OR token_lifetime_seconds > 0),
    ADD CONSTRAINT app_client_scopes_known
        CHECK (scopes <@ ARRAY['iot:read', 'iot:write', 'iot:admin', 'iot:internal']::TEXT[]);

CREATE INDEX app_client_revoked_idx ON app_client (revoked_at) WHERE revoked_at IS NOT NULL;

-- AWS-style access keys of a client (SigV4). The secret must be recoverable to derive signing keys, so it is kept
-- AES-GCM encrypted with the master key (iot.policy.master-key), never in clear. Status uses IAM's spelling.
-- A deleted key keeps its row (deleted_at) so the revocation list can name it.
CREATE TABLE access_key (
    access_key_id      CHAR(20)     PRIMARY KEY,
    client_id          VARCHAR(128) NOT NULL REFERENCES app_client (client_id),
    secret_encrypted   BYTEA        NOT NULL,
    status             VARCHAR(8)   NOT NULL DEFAULT 'Active',
    status_changed_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    deleted_at         TIMESTAMPTZ,
    CONSTRAINT access_key_id_pattern CHECK (access_key_id ~ '^[A-Z0-9]{20}$'),
    CONSTRAINT access_key_status_known CHECK (status IN ('Active', 'Inactive'))
);

CREATE INDEX access_key_client_idx ON access_key (client_id);

-- RSA keys that sign the JWTs of the authorization server. One current key (retired_at NULL); retired keys stay in
-- the JWKS until the longest token signed with them has expired. Private keys encrypted with the master key.
CREATE TABLE token_signing_key (
    key_id                 VARCHAR(64)  PRIMARY KEY,
    public_key             BYTEA        NOT NULL,
    private_key_encrypted  BYTEA        NOT NULL,
    created_at             TIMESTAMPTZ  NOT NULL,
    retired_at             TIMESTAMPTZ
);

CREATE UNIQUE INDEX token_signing_key_one_current_idx ON token_signing_key ((retired_at IS NULL)) WHERE retired_at IS NULL;
