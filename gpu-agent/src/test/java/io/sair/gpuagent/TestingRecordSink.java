package io.sair.gpuagent;

import java.util.ArrayList;
import java.util.List;

/** Records what would have gone to Kafka. */
final class TestingRecordSink implements RecordSink {
    record Sent(String key, String json) {}

    final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized void send(String key, String json) {
        sent.add(new Sent(key, json));
    }
}
