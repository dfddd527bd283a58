package io.sair.flink;

import io.sair.core.model.Json;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.window.MetricsCheck;
import java.util.List;

/** Turns raw Kafka records into envelopes; never throws, every failure becomes a reason. */
public final class Parsing {

    private Parsing() {
    }

    public static MetricEnvelope metrics(RawRecord raw, int maxBytes) {
        if (raw.value() == null) {
            return new MetricEnvelope(null, "empty value (tombstone on the metrics topic)", raw);
        }
        if (raw.receivedValueBytes() > maxBytes) {
            // Only a prefix travels on: the whole value is never parsed, kept in state or dead-lettered.
            return new MetricEnvelope(null, "oversized record: " + raw.receivedValueBytes() + " bytes (max " + maxBytes
                    + ")", raw.bounded(maxBytes));
        }
        try {
            StageMetrics m = Json.read(raw.value(), StageMetrics.class);
            return MetricsCheck.fields(m, raw.timestamp() > 0 ? raw.timestamp() : null)
                    .map(reason -> new MetricEnvelope(null, reason, raw))
                    .orElseGet(() -> new MetricEnvelope(m, null, raw));
        } catch (RuntimeException e) {
            return new MetricEnvelope(null, String.valueOf(e.getMessage()), raw);
        }
    }

    public static SpecChange spec(RawRecord raw, int maxBytes) {
        String key = raw.keyString();
        if (raw.value() == null) {
            if (key == null || key.isBlank()) {
                return new SpecChange("", null, "tombstone without a key", raw);
            }
            return new SpecChange(key, null, null, raw);
        }
        if (raw.receivedValueBytes() > maxBytes) {
            return new SpecChange(key, null, "oversized spec: " + raw.receivedValueBytes() + " bytes (max " + maxBytes
                    + ")", raw.bounded(maxBytes));
        }
        try {
            PipelineSpec spec = Json.read(raw.value(), PipelineSpec.class);
            List<String> problems = spec.problems();
            if (!problems.isEmpty()) {
                return new SpecChange(key, null, "invalid spec: " + String.join("; ", problems), raw);
            }
            if (key != null && !key.equals(spec.name())) {
                return new SpecChange(key, null, "key '" + key + "' does not match spec name '" + spec.name() + "'", raw);
            }
            return new SpecChange(spec.name(), spec, null, raw);
        } catch (RuntimeException e) {
            return new SpecChange(key, null, String.valueOf(e.getMessage()), raw);
        }
    }
}
