package io.sair.connectors.k8s;

import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A decision as the status of its PipelineAutoscaler (the fields of the CRD's status schema). */
public final class AutoscalerStatus {

    private AutoscalerStatus() {
    }

    public static Map<String, Object> of(ScalingDecision d) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("mode", d.mode() == null ? null : d.mode().wire());
        s.put("lastDecision", summary(d));
        s.put("lastDecisionId", d.decisionId());
        s.put("lastDecisionTime", Instant.ofEpochMilli(d.windowEnd()).toString());
        s.put("selector", d.selector() == null ? null : d.selector().wire());
        s.put("bottleneck", d.bottleneck() == null ? null : d.bottleneck().wire());
        s.put("p99Ms", round(d.p99Ms()));
        s.put("slaP99Ms", round(d.slaMs()));
        s.put("slaMet", d.p99Ms() <= d.slaMs());
        s.put("reward", d.previousReward() == null ? null : round(d.previousReward().total()));
        s.put("experiences", d.experiences());
        return s;
    }

    /** What changed, for a person: "inference +1 replica, pre +500m cpu", or "hold". */
    static String summary(ScalingDecision d) {
        List<String> parts = new ArrayList<>();
        for (StageTarget t : d.stages()) {
            if (t.dReplicas() != 0) {
                parts.add(t.stage() + " " + signed(t.dReplicas()) + (Math.abs(t.dReplicas()) == 1 ? " replica" : " replicas"));
            }
            if (t.dCpuMillis() != 0) {
                parts.add(t.stage() + " " + signed(t.dCpuMillis()) + "m cpu");
            }
            if (t.dMemoryMb() != 0) {
                parts.add(t.stage() + " " + signed(t.dMemoryMb()) + "Mi memory");
            }
            if (Math.abs(t.dRate()) > 1e-9) {
                parts.add(t.stage() + " rate " + String.format(Locale.ROOT, "%+.2f", t.dRate()));
            }
        }
        return parts.isEmpty() ? "hold" : String.join(", ", parts);
    }

    private static String signed(int v) {
        return (v > 0 ? "+" : "") + v;
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
