package io.openiot.rules.destination;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** The destination API's failures, each with its AWS error name. */
final class DestinationExceptions {

    private DestinationExceptions() {
    }

    static final class DestinationNotFoundException extends ApiException {
        DestinationNotFoundException(String arn) {
            super(HttpStatus.NOT_FOUND, "ResourceNotFoundException", "Topic rule destination " + arn
                    + " does not exist");
        }
    }

    static final class DestinationAlreadyExistsException extends ApiException {
        DestinationAlreadyExistsException(String confirmationUrl) {
            super(HttpStatus.CONFLICT, "ResourceAlreadyExistsException", "A topic rule destination for "
                    + confirmationUrl + " already exists");
        }
    }

    static final class InvalidDestinationRequestException extends ApiException {
        InvalidDestinationRequestException(String message) {
            super(HttpStatus.BAD_REQUEST, "InvalidRequestException", message);
        }
    }
}
