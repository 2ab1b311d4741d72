package io.openiot.sink.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A failure the REST API reports as problem details: its HTTP status and a stable {@code code}, named as AWS names
 * the error where AWS has a name for it.
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

    /** Further problem-detail properties, such as the name of the offending parameter. */
    public Map<String, Object> properties() {
        return Map.of();
    }
}
