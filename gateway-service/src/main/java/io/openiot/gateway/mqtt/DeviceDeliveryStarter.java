package io.openiot.gateway.mqtt;

import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the consumer of {@code iot.messages} that delivers to devices ({@link DeviceDelivery}, binding
 * {@value #BINDING}, configured with {@code auto-startup: false}) only once the MQTT broker listens, and stops it
 * before the broker stops. A record consumed while there is no broker would be dropped and its offset committed:
 * with the binding started with the others, a restarted gateway lost what it read in the seconds before Moquette
 * listened (found by {@code PlatformCrashRecoveryIT}).
 */
@Component
class DeviceDeliveryStarter implements SmartLifecycle {

    static final String BINDING = "deliverToDevices-in-0";

    private final BindingsLifecycleController bindings;
    private final MqttBroker broker;
    private volatile boolean running;

    DeviceDeliveryStarter(BindingsLifecycleController bindings, MqttBroker broker) {
        this.bindings = bindings;
        this.broker = broker;
    }

    @Override
    public void start() {
        if (!broker.isRunning()) {
            throw new IllegalStateException("The MQTT broker is not running; not consuming iot.messages for it");
        }
        bindings.changeState(BINDING, BindingsLifecycleController.State.STARTED);
        running = true;
    }

    @Override
    public void stop() {
        bindings.changeState(BINDING, BindingsLifecycleController.State.STOPPED);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the broker ({@link MqttBroker#PHASE}): started after it, stopped before it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
