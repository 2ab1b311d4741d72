package io.openiot.policylang;

/** The kinds of AWS IoT resource a device's actions name: {@code arn:aws:iot:{region}:{account}:{type}/{name}}. */
public enum ResourceType {
    CLIENT("client"),
    TOPIC("topic"),
    TOPIC_FILTER("topicfilter"),
    THING("thing");

    private final String arnType;

    ResourceType(String arnType) {
        this.arnType = arnType;
    }

    /** The type as written in an ARN, e.g. {@code topicfilter}. */
    public String arnType() {
        return arnType;
    }

    /** The ARN of the resource {@code name} of this type in the given region and account. */
    public String arn(String region, String accountId, String name) {
        return prefix(region, accountId) + name;
    }

    String prefix(String region, String accountId) {
        return "arn:aws:iot:" + region + ":" + accountId + ":" + arnType + "/";
    }
}
