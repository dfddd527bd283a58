package io.sair.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * k8s/grafana-dashboard.json shows every SAIR metric the README lists, under the name Flink's
 * Prometheus reporter gives it (operator scope, group "sair", per-pipeline values as a label).
 */
class GrafanaDashboardTest {

    private static final String PREFIX = "flink_taskmanager_job_task_operator_sair_";
    /** README, "Running the job against your Kafka": counters, then the per-pipeline gauges. */
    private static final List<String> COUNTERS = List.of("decisions", "probes", "fallbacks", "deadLetters");
    private static final List<String> PIPELINE_GAUGES = List.of("reward", "epsilon", "experiences", "frontierSize",
            "p99Ms", "costPerHour");

    @Test
    void everySairMetricIsOnTheDashboard() throws IOException {
        List<String> exprs = expressions();
        List<String> metrics = new ArrayList<>();
        COUNTERS.forEach(c -> metrics.add(PREFIX + c));
        PIPELINE_GAUGES.forEach(g -> metrics.add(PREFIX + "pipeline_" + g));
        for (String metric : metrics) {
            Pattern whole = Pattern.compile(Pattern.quote(metric) + "(?![A-Za-z0-9_])");
            assertThat(exprs).as(metric).anyMatch(e -> whole.matcher(e).find());
        }
    }

    @Test
    void theReadmeListsTheSameMetrics() {
        String readme = Manifests.read(Manifests.ROOT.resolve("README.md"));
        COUNTERS.forEach(c -> assertThat(readme).contains("`" + c + "`"));
        PIPELINE_GAUGES.forEach(g -> assertThat(readme).contains("`" + g + "`"));
    }

    /** Per-pipeline panels follow the dashboard's pipeline variable. */
    @Test
    void perPipelinePanelsFilterByThePipelineVariable() throws IOException {
        Matcher m = Pattern.compile(Pattern.quote(PREFIX) + "pipeline_\\w+\\{([^}]*)}").matcher(String.join("\n", expressions()));
        int found = 0;
        while (m.find()) {
            assertThat(m.group(1)).contains("pipeline=~\"$pipeline\"");
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(PIPELINE_GAUGES.size());
    }

    private static List<String> expressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Manifests.K8S.resolve("grafana-dashboard.json").toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
        }
        return exprs;
    }
}
