package io.sair.connectors.otlp;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Real OTLP payloads: the OpenTelemetry Java SDK's instruments, collected by its reader and encoded by its
 * OTLP exporter's own marshaler (protobuf, or OTLP/JSON), as the Collector's kafkaexporter writes them.
 */
final class OtelSdkPayloads {

    private OtelSdkPayloads() {
    }

    /** One instrumented process (a pod): a meter provider with its resource, on a shared test clock. */
    static final class Pod implements AutoCloseable {
        private final SdkMeterProvider provider;
        private final InMemoryMetricReader reader;

        Pod(TestClock clock, Attributes resource, boolean cumulative, boolean exponential) {
            DefaultAggregationSelector aggregation = exponential
                    ? DefaultAggregationSelector.getDefault().with(InstrumentType.HISTOGRAM,
                            Aggregation.base2ExponentialBucketHistogram())
                    : DefaultAggregationSelector.getDefault();
            this.reader = InMemoryMetricReader.builder()
                    .setAggregationTemporalitySelector(cumulative ? AggregationTemporalitySelector.alwaysCumulative()
                            : AggregationTemporalitySelector.deltaPreferred())
                    .setDefaultAggregationSelector(aggregation)
                    .build();
            this.provider = SdkMeterProvider.builder().setClock(clock).setResource(Resource.create(resource))
                    .registerMetricReader(reader).build();
        }

        Meter meter() {
            return provider.get("sair-test");
        }

        Collection<MetricData> collect() {
            return reader.collectAllMetrics();
        }

        @Override
        public void close() {
            provider.close();
        }
    }

    /** The metrics of one or more pods' collections as one export request, as the Collector batches them. */
    @SafeVarargs
    static byte[] encode(OtlpFormat format, Collection<MetricData>... collections) {
        List<MetricData> all = new ArrayList<>();
        for (Collection<MetricData> c : collections) {
            all.addAll(c);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MetricsRequestMarshaler m = MetricsRequestMarshaler.create(all);
            if (format == OtlpFormat.PROTO) {
                m.writeBinaryTo(out);
            } else {
                m.writeJsonTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
