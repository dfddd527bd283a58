package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A stage's input as a Kafka topic and the consumer group its pods read it with: the group's lag is the
 * stage's queue depth, the growth of the topic's end offsets its arrivals (see the lag connector).
 *
 * @param topic the topic the stage consumes
 * @param group the consumer group of the stage's pods
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KafkaInput(String topic, String group) {

    /** Kafka's own rule for topic names. */
    static final String TOPIC_NAME = "[A-Za-z0-9._-]{1,249}";

    public KafkaInput {
        topic = topic == null ? null : topic.trim();
        group = group == null ? null : group.trim();
    }
}
