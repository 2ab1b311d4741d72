package io.openiot.web.security;

import io.openiot.web.problem.ApiError;
import io.openiot.web.problem.AwsErrorCodes;
import io.openiot.web.problem.AwsProblems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as problem details with AWS's error types. Spring Security's bearer-token handlers set the status and
 * {@code WWW-Authenticate} (RFC 6750); the body is added here, without the token's details.
 */
final class AwsSecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
                         AuthenticationException exception) throws IOException {
        bearerEntryPoint.commence(request, response, exception);
        boolean tokenSent = request.getHeader("Authorization") != null;
        AwsProblems.write(request, response, new ApiError(HttpStatus.UNAUTHORIZED, AwsErrorCodes.UNAUTHORIZED,
                tokenSent ? "The bearer token is invalid or expired"
                        : "Authentication required: a bearer token or an AWS Signature Version 4 signature"));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
                       AccessDeniedException exception) throws IOException {
        Authentication caller = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
        if (!(caller instanceof SigV4Authentication)) {
            bearerDenied.handle(request, response, exception);
        }
        String who = caller == null ? "the caller" : caller.getName();
        AwsProblems.write(request, response, new ApiError(HttpStatus.FORBIDDEN, AwsErrorCodes.ACCESS_DENIED,
                "User: " + who + " is not authorized to perform: " + request.getMethod() + " "
                        + request.getRequestURI()));
    }
}
