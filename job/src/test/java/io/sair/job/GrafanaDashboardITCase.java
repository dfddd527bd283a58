package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sair.core.model.Json;
import io.sair.core.model.StageMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/grafana-dashboard.json against a running job: every metric its queries name, and every label they
 * filter by, is in what Flink's Prometheus reporter serves while the job decides and actuates. The unit
 * test GrafanaDashboardTest checks the dashboard against the names we expect; this one against Flink's.
 */
class GrafanaDashboardITCase {

    private static final int PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension MINI = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .setConfiguration(reporterOn(PORT))
            .build());

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("dash");

    private static final Pattern SELECTOR = Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)\\{([^}]*)}");
    private static final Pattern LABEL_MATCHER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern IDENTIFIER = Pattern.compile(
            "(?<![A-Za-z0-9_:.$])[A-Za-z_:][A-Za-z0-9_:]*(?![A-Za-z0-9_:]|\\s*\\()");
    private static final Set<String> PROMQL_WORDS = Set.of("bool", "and", "or", "unless", "offset", "Inf", "NaN");

    @Test
    void everyMetricAndLabelTheDashboardQueriesIsServedByTheRunningJob(@TempDir Path dir) throws Exception {
        Map<String, Set<String>> wanted = dashboardSelectors();
        assertThat(wanted).as("the dashboard's metrics").hasSizeGreaterThan(10);

        ToyPlant plant = new ToyPlant("dash-p");
        KAFKA.broker().send("dash.pipelines", plant.spec.name(), plant.specJson(), ToyPlant.START);
        Configuration conf = JobTestSupport.jobConf(KAFKA.broker().bootstrap(), dir, "dashboard", "dash");
        // The actuation counters exist once the actuators run; the GPU agent's needs only a token to start.
        Path token = Files.writeString(dir.resolve("agent-token"), "t0k3n");
        conf.set(SairOptions.ACTUATE_GPU_AGENT, true);
        conf.set(SairOptions.GPU_AGENT_TOKEN_FILE, token.toString());
        JobClient job = JobTestSupport.environment(conf, null, null).executeAsync("dashboard");
        try {
            for (long t = plant.windowStart(); t < plant.windowStart() + 3 * 30_000L; t += ToyPlant.PERIOD_MS) {
                for (StageMetrics m : plant.reportsAt(t)) {
                    KAFKA.broker().send("dash.metrics", m.pipeline(), Json.write(m), t);
                }
            }
            KAFKA.broker().flush();
            KAFKA.broker().readUntil("dash.actions", Duration.ofSeconds(60), got -> !got.isEmpty());

            // Gauges and counters register as their operators open and decide: scrape until all are there.
            Map<String, Set<String>> served = Map.of();
            List<String> missing = List.of("?");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                served = scrape();
                missing = missing(wanted, served);
                if (!missing.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            assertThat(missing).as("dashboard queries not served; served: %s", new TreeMap<>(served).keySet())
                    .isEmpty();
        } finally {
            JobTestSupport.cancel(job);
        }
    }

    /** Metric names (and label names) the dashboard asks for that the scrape lacks, as "name" or "name{label}". */
    private static List<String> missing(Map<String, Set<String>> wanted, Map<String, Set<String>> served) {
        return wanted.entrySet().stream().flatMap(e -> {
            Set<String> labels = served.get(e.getKey());
            if (labels == null) {
                return Stream.of(e.getKey());
            }
            return e.getValue().stream().filter(l -> !labels.contains(l)).map(l -> e.getKey() + "{" + l + "}");
        }).sorted().toList();
    }

    /** Every metric name in the dashboard's queries, with the label names its selectors filter by. */
    static Map<String, Set<String>> dashboardSelectors() throws IOException {
        // Maven runs the tests in job/; the manifests sit beside it.
        JsonNode dashboard = new ObjectMapper().readTree(
                Path.of("..", "k8s", "grafana-dashboard.json").toAbsolutePath().normalize().toFile());
        Map<String, Set<String>> out = new HashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                metricNames(expr).forEach(n -> out.computeIfAbsent(n, k -> new LinkedHashSet<>()));
                Matcher s = SELECTOR.matcher(expr);
                while (s.find()) {
                    Matcher l = LABEL_MATCHER.matcher(s.group(2));
                    while (l.find()) {
                        out.computeIfAbsent(s.group(1), k -> new LinkedHashSet<>()).add(l.group(1));
                    }
                }
            }
        }
        return out;
    }

    /** The metric names of one PromQL expression: identifiers that are no function, keyword, label or string. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** The reporter's exposition: each metric name with the label names its samples carry. */
    private static Map<String, Set<String>> scrape() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Set<String>> out = new HashMap<>();
        Pattern label = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"");
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            int end = brace >= 0 && brace < space ? brace : space;
            Set<String> labels = out.computeIfAbsent(line.substring(0, end), k -> new LinkedHashSet<>());
            if (end == brace) {
                Matcher l = label.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (l.find()) {
                    labels.add(l.group(1));
                }
            }
        }
        return out;
    }

    private static Configuration reporterOn(int port) {
        Configuration c = JobTestSupport.clusterConf();
        c.setString("metrics.reporter.prom.port", String.valueOf(port));
        return c;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
