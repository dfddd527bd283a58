package io.sair.job.demo;

import io.sair.core.model.Allocation;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * One demo round as the job saw it, read off its decision: the window's p99 and cost, what each stage
 * ran during the window, and what the controller did about it.
 *
 * @param ran per stage (spec order), the allocation that served the window
 * @param next per stage, the targets the decision set for the next window
 * @param reward reward of the previous round's decision, measured on this window (NaN in the first round)
 */
public record RoundRow(int round, long windowEnd, double simMinutes, double p99Ms, double slaMs, double costPerHour,
                       List<String> stages, List<StageKind> kinds, List<Allocation> ran, List<Allocation> next,
                       String selector, String bottleneck, double reward, String rationale, String decision) {

    public static RoundRow of(int round, long epochMs, ScalingDecision d) {
        List<String> names = new ArrayList<>();
        List<StageKind> kinds = new ArrayList<>();
        List<Allocation> ran = new ArrayList<>();
        List<Allocation> next = new ArrayList<>();
        for (StageTarget t : d.stages()) {
            names.add(t.stage());
            kinds.add(t.kind());
            ran.add(t.previous());
            next.add(t.target());
        }
        return new RoundRow(round, d.windowEnd(), (d.windowEnd() - epochMs) / 60_000.0, d.p99Ms(), d.slaMs(),
                d.costPerHour(), names, kinds, ran, next, d.selector() == null ? "?" : d.selector().wire(),
                d.bottleneck() == null ? "none" : d.bottleneck().wire(),
                d.previousReward() == null ? Double.NaN : d.previousReward().total(),
                d.rationale() == null ? "" : d.rationale(), changes(d));
    }

    /** The decision in words: only what changes ("preprocess replicas 2->4, inference rate 1.00->0.80"). */
    static String changes(ScalingDecision d) {
        List<String> parts = new ArrayList<>();
        for (StageTarget t : d.stages()) {
            Allocation a = t.previous();
            if (t.dReplicas() != 0) {
                parts.add(t.stage() + " replicas " + a.replicas() + "->" + t.replicas());
            }
            if (t.dCpuMillis() != 0) {
                parts.add(t.stage() + " cpu " + a.cpuMillis() + "m->" + t.cpuMillis() + "m");
            }
            if (t.dMemoryMb() != 0) {
                parts.add(t.stage() + " memory " + a.memoryMb() + "Mi->" + t.memoryMb() + "Mi");
            }
            if (Math.abs(t.dRate()) > 1e-9) {
                parts.add(String.format(java.util.Locale.ROOT, "%s rate %.2f->%.2f", t.stage(), a.rate(), t.rate()));
            }
        }
        return parts.isEmpty() ? "hold" : String.join(", ", parts);
    }

    public boolean slaMet() {
        return p99Ms <= slaMs;
    }
}
