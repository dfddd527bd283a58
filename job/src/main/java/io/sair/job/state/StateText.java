package io.sair.job.state;

import io.sair.core.model.StageTarget;
import io.sair.core.reward.ParetoPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human form of {@code ./sair state}: one block per pipeline, a few aligned lines each. */
public final class StateText {

    private StateText() {
    }

    public static String render(String source, List<LearnedStateView> pipelines, int top) {
        StringBuilder b = new StringBuilder();
        b.append(source).append(": ").append(pipelines.size()).append(pipelines.size() == 1 ? " pipeline" : " pipelines")
                .append('\n');
        for (LearnedStateView v : pipelines) {
            b.append('\n');
            pipeline(b, v, top);
        }
        return b.toString();
    }

    private static void pipeline(StringBuilder b, LearnedStateView v, int top) {
        b.append(v.pipeline()).append('\n');
        if (v.exploration() == null) {
            b.append("  no learned state yet (the spec is known, no round was decided)\n");
            return;
        }
        line(b, "experiences", v.experiences() + " remembered (next id " + v.nextExperienceId() + ")"
                + (v.topEpisodes().isEmpty() ? "" : "; " + (top == 0 ? "all" : "top " + v.topEpisodes().size())
                + " by reward:"));
        if (!v.topEpisodes().isEmpty()) {
            b.append(String.format(Locale.ROOT, "    %5s  %-20s  %7s  %8s  %7s  %6s  %s%n", "id", "window end", "reward",
                    "p99 ms", "latency", "cost", "action"));
            for (LearnedStateView.Episode e : v.topEpisodes()) {
                b.append(String.format(Locale.ROOT, "    %5d  %-20s  %+7.3f  %8.1f  %7.5f  %6.4f  %s%n", e.id(),
                        time(e.windowEnd()), e.reward(), e.p99Ms(), e.latencyObjective(), e.costObjective(),
                        action(e.action())));
            }
        }
        line(b, "pareto frontier", v.frontier().size() + (v.frontier().size() == 1 ? " point" : " points")
                + String.format(Locale.ROOT, ", hypervolume %.4f (normalised latency, cost; lower is better)",
                v.hypervolume()));
        for (ParetoPoint p : v.frontier()) {
            b.append(String.format(Locale.ROOT, "    latency %.5f  cost %.4f%n", p.latency(), p.cost()));
        }
        LearnedStateView.Exploration x = v.exploration();
        String settings = x.seed() == null ? " (no spec in the savepoint)"
                : String.format(Locale.ROOT, " (decay %s, floor %s, seed %d)", num(x.epsilonDecay()),
                num(x.epsilonFloor()), x.seed());
        line(b, "exploration", String.format(Locale.ROOT, "round %d, epsilon %.4f", x.round(), x.epsilon()) + settings);
        LearnedStateView.Pending p = v.pending();
        line(b, "pending", p == null ? "none"
                : String.format(Locale.ROOT, "decision %s of window %s (p99 %.1f ms, $%.3f/h), rewarded on the next window",
                p.decisionId(), time(p.windowEnd()), p.p99Ms(), p.costPerHour()));
        line(b, "cooldowns", cooldowns(v.cooldowns()));
        LearnedStateView.Load l = v.load();
        line(b, "load", l.peakAt() == null ? "no peak seen" : String.format(Locale.ROOT,
                "peak %.1f req/s at %s; arrivals moved x%.2f within a scale-up delay%s (each fades, %.1f h half-life)",
                l.peakRate(), time(l.peakAt()), l.rise(), l.riseAt() == null ? "" : " at " + time(l.riseAt()),
                l.halfLifeMs() / 3_600_000.0));
        line(b, "capacity", v.capacity() == null || v.capacity().isEmpty() ? "nothing learned yet"
                : v.capacity().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
                        .collect(java.util.stream.Collectors.joining(", "))
                        + " req per busy second per core or GPU");
    }

    private static void line(StringBuilder b, String label, String text) {
        b.append(String.format(Locale.ROOT, "  %-16s%s%n", label, text));
    }

    /** The stages an action changed, e.g. {@code preprocess replicas 2->3, cpu 2000->2500m}. */
    static String action(List<StageTarget> action) {
        List<String> parts = new ArrayList<>();
        for (StageTarget t : action) {
            if (!t.changes()) {
                continue;
            }
            List<String> d = new ArrayList<>();
            if (t.dReplicas() != 0) {
                d.add("replicas " + t.previous().replicas() + "->" + t.replicas());
            }
            if (t.dCpuMillis() != 0) {
                d.add("cpu " + t.previous().cpuMillis() + "->" + t.cpuMillis() + "m");
            }
            if (t.dMemoryMb() != 0) {
                d.add("memory " + t.previous().memoryMb() + "->" + t.memoryMb() + "Mi");
            }
            if (Math.abs(t.dRate()) > 1e-9) {
                d.add(String.format(Locale.ROOT, "rate %.2f->%.2f", t.previous().rate(), t.rate()));
            }
            parts.add(t.stage() + " " + String.join(", ", d));
        }
        return parts.isEmpty() ? "no change" : String.join("; ", parts);
    }

    /** Last scale-up and scale-down per stage and dimension, e.g. {@code up pre/replicas 00:05:30Z}. */
    private static String cooldowns(LearnedStateView.Cooldowns c) {
        List<String> parts = new ArrayList<>();
        if (!c.lastUp().isEmpty()) {
            parts.add("up " + moments(c.lastUp()));
        }
        if (!c.lastDown().isEmpty()) {
            parts.add("down " + moments(c.lastDown()));
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    private static String moments(Map<String, Long> last) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : last.entrySet()) {
            parts.add(e.getKey() + " " + time(e.getValue()));
        }
        return String.join(", ", parts);
    }

    private static String time(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }

    private static String num(Double d) {
        return d == null ? "-" : String.valueOf(d);
    }
}
