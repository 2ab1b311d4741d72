package io.openiot.web.problem;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A failure a REST API reports to its caller. Features subclass it with a name that says what failed
 * ({@code ThingNotFoundException}) and pass the AWS error name as {@code code} ({@code ResourceNotFoundException}),
 * which becomes the {@code x-amzn-ErrorType} header and the {@code code} member of the problem details.
 */
public abstract class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    protected ApiException(HttpStatus status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    protected ApiException(HttpStatus status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Further problem-detail members, such as the name of the offending parameter. */
    public Map<String, Object> properties() {
        return Map.of();
    }
}
