package io.sair.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The cluster jar carries OTLP ingestion with protobuf and Gson relocated (clusters have their own), and the
 * relocated classes still decode what the OpenTelemetry SDK's exporter encodes, in both of the kafkaexporter's
 * encodings, loaded from the jar alone.
 */
class OtlpInClusterJarIT {

    static final String SHADED = "io/sair/shaded/com/google/";

    @Test
    void protobufAndGsonAreRelocated() throws Exception {
        try (JarFile jar = new JarFile(jarPath().toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).collect(Collectors.toList());
            assertThat(names).contains("io/sair/connectors/otlp/OtlpMetricsDeserializer.class",
                    "io/opentelemetry/proto/collector/metrics/v1/ExportMetricsServiceRequest.class",
                    SHADED + "protobuf/GeneratedMessage.class", SHADED + "protobuf/util/JsonFormat.class",
                    SHADED + "gson/Gson.class");
            assertThat(names).noneMatch(n -> n.startsWith("com/google/protobuf/") || n.startsWith("com/google/gson/"));
        }
    }

    @Test
    void theJarsOwnClassesDecodeSdkExportsInBothEncodings() throws Exception {
        byte[] proto;
        byte[] json;
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (SdkMeterProvider p = SdkMeterProvider.builder().registerMetricReader(reader)
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "preprocess"))).build()) {
            p.get("t").counterBuilder("sair.arrivals").build().add(3);
            MetricsRequestMarshaler m = MetricsRequestMarshaler.create(reader.collectAllMetrics());
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            m.writeBinaryTo(a);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            m.writeJsonTo(b);
            proto = a.toByteArray();
            json = b.toByteArray();
        }
        try (URLClassLoader jarOnly = new URLClassLoader(new URL[] {jarPath().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> format = Class.forName("io.sair.connectors.otlp.OtlpFormat", true, jarOnly);
            for (Object[] c : List.of(new Object[] {"PROTO", proto}, new Object[] {"JSON", json})) {
                Object f = format.getMethod("valueOf", String.class).invoke(null, c[0]);
                Object request = format.getMethod("decode", byte[].class).invoke(f, c[1]);
                assertThat(request.getClass().getClassLoader()).isSameAs(jarOnly);
                assertThat(request.getClass().getMethod("getResourceMetricsCount").invoke(request)).isEqualTo(1);
                assertThat(request.toString()).contains("sair.arrivals").contains("preprocess");
            }
        }
    }

    private static Path jarPath() {
        String location = System.getProperty("sair.cluster.jar");
        assertThat(location).as("sair.cluster.jar (set by the failsafe configuration)").isNotNull();
        return Path.of(location);
    }
}
