package io.openiot.rules.web;

import org.springframework.http.HttpStatus;

/**
 * A failure the API reports to its caller. Features subclass it with a name that says what failed
 * ({@code RuleNotFoundException}) and pass the AWS error name as {@code code}, e.g. {@code ResourceNotFoundException}.
 */
public abstract class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    protected ApiException(HttpStatus status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
