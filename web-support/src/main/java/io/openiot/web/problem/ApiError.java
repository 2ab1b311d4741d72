package io.openiot.web.problem;

import java.util.Map;
import org.springframework.http.HttpStatusCode;

/** What a response says about a failure: status, AWS error name, a message for people and any further members. */
public record ApiError(HttpStatusCode status, String code, String message, Map<String, Object> properties) {

    public ApiError {
        properties = Map.copyOf(properties);
    }

    public ApiError(HttpStatusCode status, String code, String message) {
        this(status, code, message, Map.of());
    }
}
