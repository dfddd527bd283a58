package io.sair.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The window's count without grouping by pod (three reports or fewer) is the robust sum, for any reports. */
class WindowCountProperties {

    @Property(tries = 1000)
    void windowCountIsTheRobustSum(@ForAll @Size(max = 8) List<@IntRange(min = 0, max = 2) Integer> pods,
                                   @ForAll @Size(min = 8, max = 8) List<@LongRange(min = 0, max = 5_000) Long> values,
                                   @ForAll @Size(min = 8, max = 8) List<Boolean> counted) {
        List<PodCounts> counts = new ArrayList<>();
        long plain = 0;
        for (int i = 0; i < pods.size(); i++) {
            Long v = counted.get(i) ? values.get(i) : null;
            plain += v == null ? 0 : v;
            counts.add(new PodCounts("pod-" + pods.get(i), v, values.get(i)));
        }
        assertThat(StageAggregator.windowCount(counts, PodCounts::arrivals, plain))
                .isEqualTo(StageAggregator.robustSum(StageAggregator.perPod(counts, PodCounts::arrivals), plain));
    }
}
