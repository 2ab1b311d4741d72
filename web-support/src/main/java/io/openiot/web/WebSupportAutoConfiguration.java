package io.openiot.web;

import io.openiot.web.openapi.ApiDocumentation;
import io.openiot.web.problem.ApiExceptionTranslator;
import io.openiot.web.problem.ProblemDetailsAdvice;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/** The shared web layer of every service: problem details, the body-size limit and the OpenAPI setup. */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(WebProperties.class)
@Import(ApiDocumentation.class)
public class WebSupportAutoConfiguration {

    @Bean
    ProblemDetailsAdvice iotProblemDetailsAdvice(ObjectProvider<ApiExceptionTranslator> translators) {
        return new ProblemDetailsAdvice(translators.orderedStream().toList());
    }

    /** First of all filters, so that an oversized body is refused before anything reads it. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> iotRequestBodyLimit(WebProperties properties) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(properties.maxRequestBodySize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
