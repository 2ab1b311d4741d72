package io.openiot.rules.web;

import io.openiot.rules.action.InvalidActionException;
import io.openiot.rules.sql.SqlParseException;
import io.openiot.web.problem.ApiError;
import io.openiot.web.problem.ApiExceptionTranslator;
import io.openiot.web.problem.AwsErrorCodes;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The rules domain's own failures, which stay plain Java, as the shared problem details: an SQL error is AWS's
 * {@code SqlParseException} with {@code line} and {@code column}, a bad action an {@code InvalidRequestException}.
 */
@Component
class RulesApiErrors implements ApiExceptionTranslator {

    @Override
    public Optional<ApiError> translate(Throwable e) {
        if (e instanceof SqlParseException sql) {
            return Optional.of(new ApiError(HttpStatus.BAD_REQUEST, "SqlParseException", sql.getMessage(),
                    Map.of("line", sql.line(), "column", sql.column())));
        }
        if (e instanceof InvalidActionException action) {
            return Optional.of(new ApiError(HttpStatus.BAD_REQUEST, AwsErrorCodes.INVALID_REQUEST,
                    action.getMessage()));
        }
        return Optional.empty();
    }
}
