package io.openiot.policy.certificate;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** The certificates API's failures, with AWS's error names and statuses. */
class CertificateException extends ApiException {

    private CertificateException(HttpStatus status, String code, String message) {
        super(status, code, message);
    }

    static CertificateException notFound(String id) {
        return new CertificateException(HttpStatus.NOT_FOUND, "ResourceNotFoundException",
                "The certificate " + id + " does not exist");
    }

    static CertificateException caNotFound(String id) {
        return new CertificateException(HttpStatus.NOT_FOUND, "ResourceNotFoundException",
                "The CA certificate " + id + " does not exist");
    }

    /** AWS answers 406 for an operation the certificate's status forbids. */
    static CertificateException state(String message) {
        return new CertificateException(HttpStatus.NOT_ACCEPTABLE, "CertificateStateException", message);
    }

    static CertificateException invalid(String message) {
        return new CertificateException(HttpStatus.BAD_REQUEST, "InvalidRequestException", message);
    }

    static CertificateException validation(String message) {
        return new CertificateException(HttpStatus.BAD_REQUEST, "CertificateValidationException", message);
    }

    static CertificateException exists(String id) {
        return new CertificateException(HttpStatus.CONFLICT, "ResourceAlreadyExistsException",
                "The certificate " + id + " is already registered");
    }

    static CertificateException conflict(String message) {
        return new CertificateException(HttpStatus.CONFLICT, "DeleteConflictException", message);
    }
}
