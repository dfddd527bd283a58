package io.sair.flink;

/** A Kafka record as it arrived, kept so that a dead letter can carry the original bytes. */
public record RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {

    public String keyString() {
        return key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }
}
