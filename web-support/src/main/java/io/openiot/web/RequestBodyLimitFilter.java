package io.openiot.web;

import io.openiot.web.problem.ApiError;
import io.openiot.web.problem.AwsErrorCodes;
import io.openiot.web.problem.AwsProblems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a body whose declared length is over {@code iot.web.max-request-body-size} with 413, before security or
 * a handler reads it. (A chunked body is bounded where it is read: SigV4 hashing stops at the same limit.)
 */
final class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;

    RequestBodyLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            AwsProblems.write(request, response, new ApiError(HttpStatus.CONTENT_TOO_LARGE,
                    AwsErrorCodes.REQUEST_ENTITY_TOO_LARGE, "The request body is larger than " + maxBytes + " bytes"));
            return;
        }
        chain.doFilter(request, response);
    }
}
