package io.openiot.policy.credential;

import io.openiot.policy.credential.domain.CredentialGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CredentialConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    CredentialGenerator credentialGenerator() {
        return new CredentialGenerator(new SecureRandom());
    }
}
