package io.sair.flink;

/** One header of a Kafka record as it arrived (keys may repeat; order is kept by the list holding them). */
public record RawHeader(String key, byte[] value) {
}
