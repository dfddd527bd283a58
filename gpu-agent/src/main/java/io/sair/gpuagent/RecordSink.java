package io.sair.gpuagent;

/** Where published records go: Kafka in production, a list in tests. */
public interface RecordSink extends AutoCloseable {
    void send(String key, String json);

    @Override
    default void close() {}
}
