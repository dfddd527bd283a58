package io.sair.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster job jar as packaged (failsafe runs this after the package phase): the job and its
 * connectors inside, Flink and the local tools outside, Jackson relocated everywhere.
 */
class ClusterJarIT {

    private static final String SHADED_JACKSON = "io/sair/shaded/com/fasterxml/jackson/";

    private static JarFile jar;

    @BeforeAll
    static void open() throws IOException {
        String location = System.getProperty("sair.cluster.jar");
        assertThat(location).as("sair.cluster.jar (set by the failsafe configuration)").isNotNull();
        Path path = Path.of(location);
        assertThat(path).exists();
        System.out.printf("cluster jar %s: %.1f MB%n", path.getFileName(), Files.size(path) / 1e6);
        jar = new JarFile(path.toFile());
    }

    @AfterAll
    static void close() throws IOException {
        jar.close();
    }

    @Test
    void manifestNamesTheJobsMainClass() throws IOException {
        assertThat(jar.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS))
                .isEqualTo("io.sair.job.SairJobMain");
    }

    @Test
    void holdsTheJobTheKafkaConnectorAndTheClients() {
        assertThat(names()).contains(
                "io/sair/job/SairJobMain.class",
                "io/sair/flink/ControllerOperator.class",
                "io/sair/connectors/llm/LangchainLlmClientFactory.class",
                "dev/langchain4j/model/openai/OpenAiChatModel.class",
                "io/sair/core/model/PipelineContext.class",
                "io/sair/connectors/kafka/KafkaIO.class",
                "org/apache/flink/connector/kafka/source/KafkaSource.class",
                "org/apache/flink/connector/kafka/sink/KafkaSink.class",
                "org/apache/kafka/clients/consumer/KafkaConsumer.class",
                "io/fabric8/kubernetes/client/KubernetesClientBuilder.class",
                SHADED_JACKSON + "databind/ObjectMapper.class");
    }

    @Test
    void leavesOutFlinkTheEmbeddedBrokerAndTheReportTools() {
        List<String> forbidden = List.of(
                "org/apache/flink/runtime/", "org/apache/flink/streaming/api/", "org/apache/flink/api/common/",
                "org/apache/flink/connector/base/", "org/apache/flink/metrics/prometheus/", "org/rocksdb/",
                "kafka/server/", "scala/", "org/apache/zookeeper/", "org/knowm/xchart/", "org/commonmark/",
                "org/apache/pdfbox/", "org/slf4j/", "org/apache/logging/log4j/", "com/esotericsoftware/",
                "org/junit/", "com/fasterxml/jackson/", "org/yaml/snakeyaml/");
        List<String> leaked = names().stream()
                .filter(n -> forbidden.stream().anyMatch(n::startsWith))
                .limit(20)
                .collect(Collectors.toList());
        assertThat(leaked).isEmpty();
    }

    /** A class that still names unrelocated Jackson would load the cluster's Jackson, or none. */
    @Test
    void everyClassUsesTheRelocatedJackson() throws IOException {
        List<String> unrelocated = new ArrayList<>();
        for (JarEntry e : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
            String text;
            try (InputStream in = jar.getInputStream(e)) {
                text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            if (namesPlainJackson(text)) {
                unrelocated.add(e.getName());
            }
        }
        assertThat(unrelocated).isEmpty();
    }

    @Test
    void serviceFilesFollowTheRelocation() {
        assertThat(names())
                .noneMatch(n -> n.startsWith("META-INF/services/com.fasterxml.jackson"))
                .anyMatch(n -> n.startsWith("META-INF/services/io.fabric8.kubernetes.client.http.HttpClient"));
    }

    static boolean namesPlainJackson(String classBytes) {
        String plain = "com/fasterxml/jackson/";
        for (int i = classBytes.indexOf(plain); i >= 0; i = classBytes.indexOf(plain, i + 1)) {
            if (!classBytes.startsWith("io/sair/shaded/", i - "io/sair/shaded/".length())) {
                return true;
            }
        }
        return false;
    }

    private static List<String> names() {
        return jar.stream().map(JarEntry::getName).toList();
    }
}
