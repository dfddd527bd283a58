package io.sair.flink;

import io.sair.core.model.StageMetrics;

/** A metrics record after parsing: either {@code metrics} or the {@code error} why it could not be used. */
public record MetricEnvelope(StageMetrics metrics, String error, RawRecord raw) {

    public boolean ok() {
        return error == null;
    }

    /** Event time: the report's own timestamp, the Kafka timestamp for a record that did not parse. */
    public long eventTime() {
        return ok() ? metrics.ts() : raw.timestamp();
    }

    /** The key used to route the record to its pipeline (the Kafka key for a record that did not parse). */
    public String pipelineKey() {
        if (ok()) {
            return metrics.pipeline();
        }
        String k = raw.keyString();
        return k == null ? "" : k;
    }
}
