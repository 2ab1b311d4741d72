package io.openiot.registry.web;

import io.openiot.registry.domain.RegistryValidationException;
import io.openiot.web.problem.ApiError;
import io.openiot.web.problem.ApiExceptionTranslator;
import io.openiot.web.problem.AwsErrorCodes;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Domain rules broken by a request (names, attribute limits, query syntax), which stay plain Java, as AWS's
 * {@code InvalidRequestException} in the shared problem details.
 */
@Component
class RegistryApiErrors implements ApiExceptionTranslator {

    @Override
    public Optional<ApiError> translate(Throwable e) {
        if (e instanceof RegistryValidationException invalid) {
            return Optional.of(new ApiError(HttpStatus.BAD_REQUEST, AwsErrorCodes.INVALID_REQUEST,
                    invalid.getMessage()));
        }
        return Optional.empty();
    }
}
