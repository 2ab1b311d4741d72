-- Certificate ids are what AWS uses: the SHA-256 fingerprint of the DER encoding, 64 lower-case hex digits.

-- CA certificates registered with RegisterCACertificate; certificates they sign can register themselves on first
-- connection (JITR) when auto-registration is on. AWS allows at most 10 CA certificates with one subject.
CREATE TABLE ca_certificate (
    certificate_id       CHAR(64)     PRIMARY KEY,
    arn                  VARCHAR(2048) NOT NULL UNIQUE,
    pem                  TEXT         NOT NULL,
    subject              TEXT         NOT NULL,
    status               VARCHAR(16)  NOT NULL DEFAULT 'INACTIVE',
    auto_registration    BOOLEAN      NOT NULL DEFAULT FALSE,
    certificate_mode     VARCHAR(16)  NOT NULL DEFAULT 'DEFAULT',
    registration_config  JSONB,
    valid_from           TIMESTAMPTZ  NOT NULL,
    valid_to             TIMESTAMPTZ  NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT ca_certificate_id_hex CHECK (certificate_id ~ '^[0-9a-f]{64}$'),
    CONSTRAINT ca_certificate_status_known CHECK (status IN ('ACTIVE', 'INACTIVE')),
    CONSTRAINT ca_certificate_mode_known CHECK (certificate_mode IN ('DEFAULT', 'SNI_ONLY'))
);

CREATE INDEX ca_certificate_subject_idx ON ca_certificate (subject);

-- Device certificates: created here (CreateKeysAndCertificate; the private key is returned once and never stored),
-- registered with or without a CA, or registered just in time as PENDING_ACTIVATION.
CREATE TABLE certificate (
    certificate_id     CHAR(64)      PRIMARY KEY,
    arn                VARCHAR(2048) NOT NULL UNIQUE,
    pem                TEXT          NOT NULL,
    status             VARCHAR(24)   NOT NULL,
    ca_certificate_id  CHAR(64)      REFERENCES ca_certificate (certificate_id),
    certificate_mode   VARCHAR(16)   NOT NULL DEFAULT 'DEFAULT',
    subject            TEXT          NOT NULL,
    issuer             TEXT          NOT NULL,
    valid_from         TIMESTAMPTZ   NOT NULL,
    valid_to           TIMESTAMPTZ   NOT NULL,
    created_at         TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT certificate_id_hex CHECK (certificate_id ~ '^[0-9a-f]{64}$'),
    CONSTRAINT certificate_status_known CHECK (status IN
        ('ACTIVE', 'INACTIVE', 'REVOKED', 'PENDING_ACTIVATION', 'PENDING_TRANSFER')),
    CONSTRAINT certificate_mode_known CHECK (certificate_mode IN ('DEFAULT', 'SNI_ONLY'))
);

CREATE INDEX certificate_ca_idx ON certificate (ca_certificate_id);

-- IoT policies. Version ids are never reused (after deleting version 5 the next is 6), hence last_version_id.
CREATE TABLE policy (
    name             VARCHAR(128)  PRIMARY KEY,
    arn              VARCHAR(2048) NOT NULL UNIQUE,
    last_version_id  INTEGER       NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT policy_name_pattern CHECK (name ~ '^[A-Za-z0-9_+=,.@-]+$')
);

-- At most five versions per policy (a sixth is VersionsLimitExceededException): the feature counts them while
-- holding the policy row lock. Exactly one default per policy; the unique index guarantees "at most".
-- document is kept as the caller sent it, because AWS returns policyDocument verbatim.
CREATE TABLE policy_version (
    policy_name  VARCHAR(128) NOT NULL REFERENCES policy (name) ON DELETE CASCADE,
    version_id   INTEGER      NOT NULL,
    document     TEXT         NOT NULL,
    is_default   BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (policy_name, version_id),
    CONSTRAINT policy_version_id_positive CHECK (version_id >= 1)
);

CREATE UNIQUE INDEX policy_version_one_default_idx ON policy_version (policy_name) WHERE is_default;

-- AttachPolicy targets: a certificate ARN, a thing-group ARN (or later a Cognito identity). No cascade from policy:
-- DeletePolicy with attachments is a DeleteConflictException, not a silent detach.
CREATE TABLE policy_target_attachment (
    policy_name  VARCHAR(128)  NOT NULL REFERENCES policy (name),
    target       VARCHAR(2048) NOT NULL,
    attached_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    PRIMARY KEY (policy_name, target)
);

-- The gateway's connect-time question is "which policies apply to this principal".
CREATE INDEX policy_target_attachment_target_idx ON policy_target_attachment (target);

-- Applications that get OAuth2 bearer tokens with the client-credentials grant. Only a one-way hash of the secret
-- is stored (an encoded form such as {bcrypt}..., so the algorithm can change later).
CREATE TABLE app_client (
    client_id    VARCHAR(128) PRIMARY KEY,
    secret_hash  TEXT         NOT NULL,
    scopes       TEXT[]       NOT NULL DEFAULT '{}',
    description  VARCHAR(1024),
    enabled      BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT app_client_id_pattern CHECK (client_id ~ '^[A-Za-z0-9_.-]+$')
);

-- Transactional outbox for iot.security-events (certificate status, policy versions, attachments): written in the
-- change's transaction, sent by a relay in id order, stamped published_at. aggregate_key is the Kafka key: the
-- principal (certificate id or client id), or the policy name for policy-wide changes.
CREATE TABLE outbox (
    id             BIGINT        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    aggregate_key  VARCHAR(2048) NOT NULL,
    event_type     VARCHAR(64)   NOT NULL,
    payload        JSONB         NOT NULL,
    created_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    published_at   TIMESTAMPTZ
);

CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
