package io.sair.connectors.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The two encodings of the Collector's kafkaexporter for metrics: {@code otlp_proto} (its default) and {@code otlp_json}. */
public enum OtlpFormat {
    PROTO("otlp_proto"),
    JSON("otlp_json");

    private final String wire;

    OtlpFormat(String wire) {
        this.wire = wire;
    }

    /** The name the kafkaexporter's {@code encoding} (and {@code sair.metrics.format}) uses. */
    public String wire() {
        return wire;
    }

    public static OtlpFormat of(String name) {
        for (OtlpFormat f : values()) {
            if (f.wire.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("not an OTLP encoding: '" + name + "' (otlp_proto or otlp_json)");
    }

    /** The export request in {@code bytes}; throws IllegalArgumentException with a one-line reason. */
    public ExportMetricsServiceRequest decode(byte[] bytes) {
        try {
            if (this == PROTO) {
                return ExportMetricsServiceRequest.parseFrom(bytes);
            }
            ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
            // OTLP/JSON may gain fields: a newer Collector's must not make the whole batch unreadable.
            JsonFormat.parser().ignoringUnknownFields().merge(new String(bytes, StandardCharsets.UTF_8), b);
            return b.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalArgumentException("not OTLP metrics (" + wire + "): " + msg, e);
        }
    }
}
