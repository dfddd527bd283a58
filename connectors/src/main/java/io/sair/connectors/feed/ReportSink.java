package io.sair.connectors.feed;

import io.sair.core.model.StageMetrics;

/** Where a metrics reader's StageMetrics reports go: the metrics topic in production, a list in tests. */
public interface ReportSink extends AutoCloseable {

    void send(StageMetrics report);

    @Override
    default void close() {
    }
}
