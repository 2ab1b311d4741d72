package io.openiot.policylang;

/**
 * The AWS IoT data-plane actions a device's policy decides, each with the type of resource AWS checks it on.
 * {@link CompiledPolicies} precomputes a decision index for each of them; other action names still evaluate, on a
 * slower path.
 */
public enum IotAction {
    CONNECT("iot:Connect", ResourceType.CLIENT),
    PUBLISH("iot:Publish", ResourceType.TOPIC),
    SUBSCRIBE("iot:Subscribe", ResourceType.TOPIC_FILTER),
    RECEIVE("iot:Receive", ResourceType.TOPIC),
    RETAIN_PUBLISH("iot:RetainPublish", ResourceType.TOPIC),
    GET_RETAINED_MESSAGE("iot:GetRetainedMessage", ResourceType.TOPIC),
    LIST_RETAINED_MESSAGES("iot:ListRetainedMessages", null),
    GET_THING_SHADOW("iot:GetThingShadow", ResourceType.THING),
    UPDATE_THING_SHADOW("iot:UpdateThingShadow", ResourceType.THING),
    DELETE_THING_SHADOW("iot:DeleteThingShadow", ResourceType.THING),
    LIST_NAMED_SHADOWS_FOR_THING("iot:ListNamedShadowsForThing", ResourceType.THING);

    private static final IotAction[] ALL = values();

    private final String actionName;
    private final ResourceType resourceType;

    IotAction(String actionName, ResourceType resourceType) {
        this.actionName = actionName;
        this.resourceType = resourceType;
    }

    /** The name as written in a policy and in a test-authorization request, e.g. {@code iot:Publish}. */
    public String actionName() {
        return actionName;
    }

    /** The type of resource AWS checks the action on, or {@code null} when its resource is {@code *}. */
    public ResourceType resourceType() {
        return resourceType;
    }

    /** The action of that name (IAM action names are case-insensitive), or {@code null} if it is not one of these. */
    public static IotAction fromName(String name) {
        for (IotAction action : ALL) {
            if (action.actionName.equalsIgnoreCase(name)) {
                return action;
            }
        }
        return null;
    }
}
