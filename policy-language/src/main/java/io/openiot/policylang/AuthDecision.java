package io.openiot.policylang;

/** The outcome of one authorization, named as in AWS's TestAuthorization response. */
public enum AuthDecision {
    /** Some statement allows it and none denies it. */
    ALLOWED,
    /** A statement denies it; no allow can override that. */
    EXPLICIT_DENY,
    /** No statement allows it: the default. */
    IMPLICIT_DENY;

    public boolean isAllowed() {
        return this == ALLOWED;
    }
}
