package io.sair.flink;

import io.sair.core.model.Json;
import io.sair.core.model.StageMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reports the stage windows dropped as late, as dead letters with reason {@code late}, counted in
 * {@code sair.lateRecords}. The gate ({@link MetricsGate}) already refuses what its own watermark makes
 * late, so this catches only what it cannot see: a gate subtask that went idle and came back behind the
 * others. The original bytes are gone by then; the dead letter carries the report as JSON.
 */
public final class LateReports extends ProcessFunction<StageMetrics, DeadLetter> {

    public static final OutputTag<StageMetrics> TAG = new OutputTag<>("late-reports", TypeInformation.of(StageMetrics.class));

    private transient Counter late;

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().addGroup("sair").counter("lateRecords");
    }

    @Override
    public void processElement(StageMetrics m, Context ctx, Collector<DeadLetter> out) {
        late.inc();
        out.collect(new DeadLetter("late: the window of ts=" + m.ts() + " had closed at the stage windows",
                new RawRecord(null, -1, -1, m.ts(), m.pipeline().getBytes(StandardCharsets.UTF_8), Json.write(m))));
    }
}
