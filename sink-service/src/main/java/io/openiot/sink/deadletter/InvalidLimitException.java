package io.openiot.sink.deadletter;

import io.openiot.web.problem.ApiException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A {@code limit} outside 1 to {@code iot.sink.dead-letters.max-replay}. */
class InvalidLimitException extends ApiException {

    InvalidLimitException(int max) {
        super(HttpStatus.BAD_REQUEST, "InvalidRequestException", "Parameter 'limit' must be between 1 and " + max);
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("parameter", "limit");
    }
}
