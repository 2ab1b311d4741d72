-- The platform CA that signs the certificates of CreateKeysAndCertificate and CreateCertificateFromCsr. One row:
-- generated on the first start (under an advisory lock, so that instances starting together agree) unless the
-- operator supplies one. The private key is AES-256-GCM encrypted with the master key, or absent when supplied by
-- the operator through configuration (then it is read from there on every start).
CREATE TABLE platform_ca (
    singleton              BOOLEAN      PRIMARY KEY DEFAULT TRUE,
    certificate_id         CHAR(64)     NOT NULL,
    pem                    TEXT         NOT NULL,
    private_key_encrypted  BYTEA,
    created_at             TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT platform_ca_one_row CHECK (singleton)
);
