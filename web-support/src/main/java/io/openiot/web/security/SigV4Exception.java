package io.openiot.web.security;

/** A SigV4 request that is refused, with the AWS error type the SDKs expect (always status 403). */
class SigV4Exception extends RuntimeException {

    static final String INVALID_SIGNATURE = "InvalidSignatureException";
    static final String INCOMPLETE_SIGNATURE = "IncompleteSignatureException";
    static final String UNRECOGNIZED_CLIENT = "UnrecognizedClientException";

    private final String errorType;

    SigV4Exception(String errorType, String message) {
        super(message, null, false, false);
        this.errorType = errorType;
    }

    String errorType() {
        return errorType;
    }
}
