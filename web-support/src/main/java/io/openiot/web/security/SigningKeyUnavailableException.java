package io.openiot.web.security;

/** No signing key could be looked up, for a reason that is not the caller's: answered 503, not 403. */
public class SigningKeyUnavailableException extends RuntimeException {

    public SigningKeyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
