package io.sair.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TraceTest {

    @Test
    void readsTheAzureFormatAndReplaysItTimeScaledAndLooped() throws Exception {
        Trace t;
        try (var in = new InputStreamReader(getClass().getResourceAsStream("/azure-llm-code-2023-excerpt.csv"),
                StandardCharsets.UTF_8)) {
            t = Trace.read("azure", in);
        }
        assertThat(t.size()).isEqualTo(300);
        assertThat(t.offsetsMs()[0]).isZero();
        assertThat(t.offsetsMs()[1]).isCloseTo(52.0, within(1e-6)); // 18:17:03.97996 -> 18:17:04.03196
        assertThat(t.u()[0]).isEqualTo(4808);
        assertThat(t.g()[0]).isEqualTo(10);
        TraceWorkload w = new TraceWorkload(t, 2.0, true, WorkDist.NONE, WorkDist.NONE, 700, 1);
        double last = -1;
        int n = 0;
        while (w.advance()) {
            assertThat(w.timeMs()).isGreaterThanOrEqualTo(last);
            last = w.timeMs();
            n++;
        }
        assertThat(n).isEqualTo(700);
        assertThat(last).isGreaterThan(2 * t.spanMs() / 2.0);
    }

    @Test
    void readsNumericSecondsWithoutWorkColumns() throws Exception {
        Trace t = Trace.read("x", new StringReader("t\n10.0\n10.5\n12\n"));
        assertThat(t.offsetsMs()).containsExactly(0, 500, 2000);
        assertThat(t.hasWork()).isFalse();
        assertThat(t.meanRate()).isCloseTo(1.0, within(1e-9));
    }
}
