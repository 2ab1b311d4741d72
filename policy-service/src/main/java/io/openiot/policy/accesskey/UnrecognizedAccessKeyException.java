package io.openiot.policy.accesskey;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** What AWS answers for an unknown, inactive or deleted access key; the SDKs map the name to their exception. */
class UnrecognizedAccessKeyException extends ApiException {

    UnrecognizedAccessKeyException() {
        super(HttpStatus.NOT_FOUND, "UnrecognizedClientException",
                "The security token included in the request is invalid.");
    }
}
