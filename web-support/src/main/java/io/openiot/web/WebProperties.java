package io.openiot.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code iot.web.*}: the parts of the web layer a service sets.
 *
 * @param maxRequestBodySize a larger body is refused with 413 before any handler reads it
 * @param api what the OpenAPI document says about the service
 */
@ConfigurationProperties("iot.web")
public record WebProperties(DataSize maxRequestBodySize, Api api) {

    public WebProperties {
        maxRequestBodySize = maxRequestBodySize == null ? DataSize.ofMegabytes(1) : maxRequestBodySize;
        api = api == null ? new Api(null, null, null, null, null) : api;
    }

    public record Api(String title, String version, String description, String externalDocsUrl,
                      String externalDocsDescription) {

        public Api {
            title = title == null ? "OpenIoT API" : title;
            version = version == null ? "0.1.0" : version;
        }
    }
}
