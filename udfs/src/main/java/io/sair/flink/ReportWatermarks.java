package io.sair.flink;

import io.sair.core.time.SourceEventTime;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.eventtime.Watermark;

/**
 * Event time of {@code sair.metrics}, taken at the Kafka source so that every partition (split) has its
 * own watermark and the job's watermark is the slowest partition's: on a backlog, a reader that is ahead
 * can no longer pass another partition's reports. A partition's time is what {@link SourceEventTime}
 * lets it vouch for (one pipeline or one record cannot move it alone); records that did not parse carry
 * no event time of their own and never move it.
 */
public final class ReportWatermarks implements WatermarkGenerator<MetricEnvelope> {

    private final long outOfOrdernessMs;
    private final SourceEventTime time = new SourceEventTime();

    ReportWatermarks(long outOfOrdernessMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
    }

    /**
     * The metrics source's strategy: timestamps from the reports, bounded out-of-orderness, idle
     * partitions skipped, and (when {@code maxDrift} is positive) readers aligned so that one far ahead
     * pauses until the others catch up.
     */
    public static WatermarkStrategy<MetricEnvelope> strategy(Duration outOfOrderness, Duration idleness,
                                                             Duration maxDrift) {
        WatermarkStrategy<MetricEnvelope> s = WatermarkStrategy
                .<MetricEnvelope>forGenerator(ctx -> new ReportWatermarks(outOfOrderness.toMillis()))
                .withTimestampAssigner((e, kafkaTs) -> e.eventTime())
                .withIdleness(idleness);
        return maxDrift.isZero() ? s : s.withWatermarkAlignment("sair-metrics", maxDrift, Duration.ofSeconds(1));
    }

    @Override
    public void onEvent(MetricEnvelope e, long eventTimestamp, WatermarkOutput output) {
        if (e.ok()) {
            var m = e.metrics();
            time.observe(m.pipeline(), m.stage(), m.pod(), m.ts());
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long t = time.time();
        if (t != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(t - outOfOrdernessMs - 1));
        }
    }
}
