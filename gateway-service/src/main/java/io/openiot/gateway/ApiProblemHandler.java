package io.openiot.gateway;

import io.openiot.gateway.connection.ConnectionNotFoundException;
import io.openiot.gateway.http.KafkaUnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problem details with a stable {@code code}: AWS's error name where AWS has one. */
@RestControllerAdvice
class ApiProblemHandler {

    @ExceptionHandler(ConnectionNotFoundException.class)
    ProblemDetail notFound(ConnectionNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "ResourceNotFoundException", e.getMessage());
    }

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalidRequest(InvalidRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, "InvalidRequestException", e.getMessage());
    }

    @ExceptionHandler(KafkaUnavailableException.class)
    ProblemDetail kafkaUnavailable(KafkaUnavailableException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "ServiceUnavailableException", e.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("code", code);
        return problem;
    }
}
