package io.openiot.rules.engine;

import io.openiot.contracts.KafkaTopics;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.kafka.KafkaException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The retry of the {@code iot.messages} binding. In batch mode the binder installs none ({@code max-attempts} and
 * {@code back-off-*} do nothing there), so this sets a {@link DefaultErrorHandler} on the container: on
 * {@link TransientActionFailures} it pauses the consumer, keeps polling during the back-off (so the member stays in its
 * group whatever {@code max.poll.interval.ms} is) and gives the same records to the listener again, without
 * committing. It never stops on its own: the engine decides when to give up ({@link RetryProperties#maxDuration()}).
 */
@Configuration(proxyBeanMethods = false)
class ConsumerRetryConfiguration {

    @Bean
    ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> messagesRetry(RetryProperties retry) {
        return (container, destination, group) -> {
            if (!KafkaTopics.MESSAGES.equals(destination)) {
                return;
            }
            ExponentialBackOff backOff = new ExponentialBackOff(retry.initialInterval().toMillis(),
                    retry.multiplier());
            backOff.setMaxInterval(retry.maxInterval().toMillis());
            DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
            // the consumer logs each failed attempt with what failed; the handler's own stack traces add nothing
            handler.setLogLevel(KafkaException.Level.DEBUG);
            container.setCommonErrorHandler(handler);
        };
    }
}
