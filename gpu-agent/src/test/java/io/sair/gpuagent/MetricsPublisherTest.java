package io.sair.gpuagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsPublisherTest {
    private final TestingRecordSink sink = new TestingRecordSink();
    private final List<ShimStats> shims = new ArrayList<>();
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    private MetricsPublisher publisher(double capacity) {
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now; }
        };
        return new MetricsPublisher(() -> List.copyOf(shims), sink, clock, capacity);
    }

    @Test
    void publishesOneRecordPerPipelineStageWorkloadWithTheContractFields() throws Exception {
        MetricsPublisher p = publisher(1000);
        // Two containers of one pod, each its own pid 1: two processes, told apart by their ids.
        shims.add(new ShimStats("4026532001-1", 1, "pipe/infer/pod-0", 0.5, 10, 1000, 0));
        shims.add(new ShimStats("4026532002-1", 1, "pipe/infer/pod-0", 0.5, 10, 1000, 0));
        shims.add(new ShimStats("4026532003-3", 3, "not-a-stage-id", 0.5, 10, 1000, 0));
        assertThat(p.publishOnce()).isEmpty(); // baseline
        now = now.plusSeconds(5);
        shims.replaceAll(s -> new ShimStats(s.id(), s.pid(), s.workload(), s.rate(), s.launches() + 5, s.blocks() + 500, 0));

        assertThat(p.publishOnce()).hasSize(1);

        assertThat(sink.sent).hasSize(1);
        assertThat(sink.sent.get(0).key()).isEqualTo("pipe");
        JsonNode json = new ObjectMapper().readTree(sink.sent.get(0).json());
        List<String> fields = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            fields.add(it.next());
        }
        assertThat(fields).containsExactly("pipeline", "stage", "pod", "ts", "kind", "gpuRate", "gpuUtil", "launches",
                "blocks", "source", "v");
        assertThat(json.get("stage").asText()).isEqualTo("infer");
        assertThat(json.get("pod").asText()).isEqualTo("pod-0");
        assertThat(json.get("ts").asLong()).isEqualTo(now.toEpochMilli());
        assertThat(json.get("kind").asText()).isEqualTo("gpu");
        assertThat(json.get("source").asText()).isEqualTo("gpu-agent");
        assertThat(json.get("v").asInt()).isEqualTo(1);
        assertThat(json.get("launches").asLong()).isEqualTo(10);
        assertThat(json.get("blocks").asLong()).isEqualTo(1000);
        // 1000 blocks / (1000 blocks/s x 0.5 x 5 s) = 0.4 of the rate-limited budget
        assertThat(json.get("gpuUtil").asDouble()).isCloseTo(0.4, within(1e-9));
        assertThat(json.get("gpuRate").asDouble()).isEqualTo(0.5);
    }

    @Test
    void learnedCapacityExcludesTheTimeTheShimHeldLaunches() {
        MetricsPublisher p = publisher(0);
        shims.add(new ShimStats("1-1", 1, "a/b/c", 0.5, 0, 0, 0));
        p.publishOnce();
        now = now.plusSeconds(10);
        // Saturated at rho 0.5: half the period held by the throttle, so the workload is using all of its budget.
        shims.set(0, new ShimStats("1-1", 1, "a/b/c", 0.5, 100, 50_000, 5_000_000_000L));

        assertThat(p.publishOnce().get(0).gpuUtil()).isCloseTo(1.0, within(1e-9));

        now = now.plusSeconds(10);
        // Then a quarter of that throughput, unthrottled: half of the budget.
        shims.set(0, new ShimStats("1-1", 1, "a/b/c", 0.5, 125, 75_000, 5_000_000_000L));
        assertThat(p.publishOnce().get(0).gpuUtil()).isCloseTo(0.25 / 0.5 / MetricsPublisher.CAPACITY_DECAY, within(1e-9));
    }

    @Test
    void utilisationIsBoundedAndSafeOnZeros() {
        assertThat(MetricsPublisher.utilisation(10, 0, 0.5, 1)).isZero();
        assertThat(MetricsPublisher.utilisation(10_000, 100, 0.5, 1)).isEqualTo(1.0);
        assertThat(MetricsPublisher.utilisation(25, 100, 0.5, 1)).isEqualTo(0.5);
    }
}
