package io.openiot.shadow.web;

import org.springframework.http.HttpStatus;

/**
 * A failure the shadow REST API reports to its caller. Features subclass it with a name that says what failed
 * ({@code ShadowNotFoundException}) and pass the AWS IoT data-plane error name as {@code code}
 * ({@code ResourceNotFoundException}, {@code ConflictException}...).
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
