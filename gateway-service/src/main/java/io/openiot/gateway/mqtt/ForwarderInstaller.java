package io.openiot.gateway.mqtt;

import io.openiot.gateway.auth.ConnectAuthorizer;
import io.openiot.gateway.auth.LiveConnections;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.openiot.gateway.bridge.MessageForwarder;
import io.openiot.gateway.connection.ConnectionTracker;
import org.springframework.stereotype.Component;

/**
 * The one handler instance Moquette adds to every channel; it at once puts a {@link PublishForwarder} of that
 * connection in its place (the forwarder keeps per-connection state, so it cannot be shared).
 */
@Component
@ChannelHandler.Sharable
class ForwarderInstaller extends ChannelInboundHandlerAdapter {

    private final MessageForwarder forwarder;
    private final ConnectAuthorizer authorizer;
    private final ConnectionTracker connections;
    private final LiveConnections live;
    private final MqttProperties properties;

    ForwarderInstaller(MessageForwarder forwarder, ConnectAuthorizer authorizer, ConnectionTracker connections,
                       LiveConnections live, MqttProperties properties) {
        this.forwarder = forwarder;
        this.authorizer = authorizer;
        this.connections = connections;
        this.live = live;
        this.properties = properties;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.pipeline().replace(this, "kafkaForwarder",
                new PublishForwarder(forwarder, authorizer, connections, live, properties.maxPendingPublishes()));
    }
}
