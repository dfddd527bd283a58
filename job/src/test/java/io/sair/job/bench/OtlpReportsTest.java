package io.sair.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.connectors.otlp.OtlpFormat;
import io.sair.connectors.otlp.OtlpMapper;
import io.sair.connectors.otlp.OtlpMapping;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.window.LatencyHistograms;
import io.sair.sim.AppProfiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The bench's OTLP requests read back by the job's mapper give the reports they were made from, period after period. */
class OtlpReportsTest {

    @ParameterizedTest
    @EnumSource(OtlpFormat.class)
    void eachPeriodsRequestMapsBackToItsReports(OtlpFormat format) {
        PipelineSpec spec = AppProfiles.image().spec();
        List<StageSpec> stages = spec.stages();
        long t0 = 1_767_225_600_000L;
        OtlpReports encoder = new OtlpReports(format, t0 - 5_000);
        OtlpMapper mapper = new OtlpMapper(OtlpMapping.defaults());
        for (long round = 0; round < 3; round++) {
            long ts = t0 + round * 5_000;
            List<StageMetrics> sent = new ArrayList<>();
            for (int s = 0; s < stages.size(); s++) {
                sent.add(IngestBench.report("p", stages.get(s), s == stages.size() - 1, ts, round));
            }
            OtlpMapper.Mapped got = mapper.map(format.decode(encoder.encode(sent)));
            assertThat(got.refused()).isEmpty();
            assertThat(got.reports()).hasSameSizeAs(sent);
            for (int i = 0; i < sent.size(); i++) {
                StageMetrics want = sent.get(i);
                StageMetrics r = got.reports().get(i);
                assertThat(List.of(r.pipeline(), r.stage(), r.pod(), r.kind(), r.ts()))
                        .isEqualTo(List.of(want.pipeline(), want.stage(), want.pod(), want.kind(), want.ts()));
                // Cumulative on the wire, the period's own counts after mapping (the first period counts whole).
                assertThat(r.arrivals()).isEqualTo(want.arrivals());
                assertThat(r.completions()).isEqualTo(want.completions());
                assertThat(List.of(r.replicas(), r.cpuMillis(), r.memoryMb()))
                        .isEqualTo(List.of(want.replicas(), want.cpuMillis(), want.memoryMb()));
                assertThat(r.queueDepth()).isEqualTo(want.queueDepth());
                assertThat(r.cpuUtil()).isEqualTo(want.cpuUtil());
                assertThat(r.memUtil()).isEqualTo(want.memUtil());
                assertThat(LatencyHistograms.fromBase64(r.latencyHist()).getTotalCount())
                        .isEqualTo(want.latencyMs().size());
                assertThat(r.e2eLatencyHist() != null).isEqualTo(want.e2eLatencyMs() != null);
            }
        }
    }
}
