package io.openiot.gateway.http;

import io.openiot.policylang.CompiledPolicies;

/**
 * The client certificate of a request on the HTTPS publish port, with its policies compiled for the request. Set as a
 * request attribute by {@link CertificateAuthenticationFilter}; clients cannot set request attributes.
 */
record DevicePrincipal(String certificateId, CompiledPolicies policies) {

    static final String ATTRIBUTE = "io.openiot.gateway.http.DevicePrincipal";
}
