package io.openiot.web.remote;

import io.openiot.web.testapp.TestController;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The test app's endpoints without a local key table or revocation source: web-support's defaults fetch signing
 * keys and revocations from a policy-service over HTTP with a service-client token.
 */
@SpringBootApplication
@Import(TestController.class)
public class RemoteKeysApplication {
}
