package io.openiot.sink.item;

import io.openiot.web.problem.ApiException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A query parameter that cannot be used; the problem details name it in {@code parameter}. */
class InvalidParameterException extends ApiException {

    private final String parameter;

    InvalidParameterException(String parameter, String problem) {
        super(HttpStatus.BAD_REQUEST, "InvalidRequestException", "Parameter '" + parameter + "' " + problem);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("parameter", parameter);
    }
}
