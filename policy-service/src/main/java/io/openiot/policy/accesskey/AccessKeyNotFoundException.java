package io.openiot.policy.accesskey;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

class AccessKeyNotFoundException extends ApiException {

    AccessKeyNotFoundException(String clientId, String accessKeyId) {
        super(HttpStatus.NOT_FOUND, "ResourceNotFoundException",
                "client " + clientId + " has no access key " + accessKeyId);
    }
}
