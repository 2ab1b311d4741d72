package io.openiot.rules.rule;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** The rule API's failures, each with its AWS error name. */
final class Exceptions {

    private Exceptions() {
    }

    static final class RuleNotFoundException extends ApiException {
        RuleNotFoundException(String ruleName) {
            super(HttpStatus.NOT_FOUND, "ResourceNotFoundException", "Rule " + ruleName + " does not exist");
        }
    }

    static final class RuleAlreadyExistsException extends ApiException {
        RuleAlreadyExistsException(String ruleName) {
            super(HttpStatus.CONFLICT, "ResourceAlreadyExistsException", "Rule " + ruleName + " already exists");
        }
    }

    static final class InvalidRequestException extends ApiException {
        InvalidRequestException(String message) {
            super(HttpStatus.BAD_REQUEST, "InvalidRequestException", message);
        }
    }
}
