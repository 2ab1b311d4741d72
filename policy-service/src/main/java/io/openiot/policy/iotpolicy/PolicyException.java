package io.openiot.policy.iotpolicy;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** The policy API's failures, with AWS's error names and statuses. */
class PolicyException extends ApiException {

    private PolicyException(HttpStatus status, String code, String message) {
        super(status, code, message);
    }

    static PolicyException notFound(String what) {
        return new PolicyException(HttpStatus.NOT_FOUND, "ResourceNotFoundException", what + " does not exist");
    }

    static PolicyException exists(String name) {
        return new PolicyException(HttpStatus.CONFLICT, "ResourceAlreadyExistsException",
                "The policy " + name + " already exists");
    }

    static PolicyException malformed(String reason) {
        return new PolicyException(HttpStatus.BAD_REQUEST, "MalformedPolicyException", reason);
    }

    static PolicyException invalid(String message) {
        return new PolicyException(HttpStatus.BAD_REQUEST, "InvalidRequestException", message);
    }

    static PolicyException versionsLimit(String name) {
        return new PolicyException(HttpStatus.CONFLICT, "VersionsLimitExceededException",
                "The policy " + name + " already has 5 versions");
    }

    static PolicyException deleteConflict(String message) {
        return new PolicyException(HttpStatus.CONFLICT, "DeleteConflictException", message);
    }

    /** AWS answers 410 for LimitExceededException. */
    static PolicyException limit(String message) {
        return new PolicyException(HttpStatus.GONE, "LimitExceededException", message);
    }
}
