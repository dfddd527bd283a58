package io.sair.core.policy.baseline;

import io.sair.core.model.Allocation;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import java.util.HashMap;
import java.util.Map;

/**
 * The Vertical Pod Autoscaler in Auto mode on the CPU stages. The recommender keeps decaying histograms
 * of per-pod CPU and memory usage and recommends target = p90 CPU / p95 memory, lower bound = p50,
 * upper bound = p95, each plus the safety margin. The updater evicts a stage's pods (here: proposes the
 * target requests, which the plant applies with a restart) only when the running request is outside
 * [lower, upper], so changes are rare. Replicas are never touched; GPU stages are left alone.
 *
 * <p>Left out: the confidence multipliers that widen the bounds while history is short (days); with them
 * a simulated run of hours would never see an eviction. One instance serves one pipeline; not thread-safe.
 */
public final class VpaPolicy implements Policy {

    /** VPA gives every CPU sample at least this weight (cores). */
    private static final double MIN_SAMPLE_WEIGHT = 0.1;
    /** VPA's recommender never recommends less per pod than 25 millicores and 250 MB. */
    private static final int POD_MIN_CPU_MILLIS = 25;
    private static final int POD_MIN_MEMORY_MB = 250;

    private final VpaSettings settings;
    private final Map<String, StageUsage> usage = new HashMap<>();

    public VpaPolicy(VpaSettings settings) {
        this.settings = settings;
    }

    @Override
    public Proposal propose(PolicyInput in) {
        long now = in.nowMs();
        StageChanges changes = new StageChanges();
        for (PresentStage s : PresentStage.of(in)) {
            if (s.spec().kind() != StageKind.CPU) {
                continue;
            }
            StageUsage u = usage.computeIfAbsent(s.name(), k -> new StageUsage(settings.halfLifeMs()));
            u.record(s.window(), now);
            if (!mayEvict(u, s, now)) {
                continue;
            }
            Recommendation r = recommend(u, s.limits());
            Allocation cur = s.current();
            boolean cpuOutside = !r.cpu().contains(cur.cpuMillis());
            boolean memOutside = r.memory() != null && !r.memory().contains(cur.memoryMb());
            Integer memTarget = r.memory() == null ? null : r.memory().target();
            boolean differs = r.cpu().target() != cur.cpuMillis() || memTarget != null && memTarget != cur.memoryMb();
            if ((cpuOutside || memOutside) && differs) {
                u.lastEvictionMs = now;
                changes.add(StageAction.resources(s.name(), r.cpu().target(), memTarget),
                        String.format("%s cpu %dm -> %dm [%d, %d], memory %dMB -> %s", s.name(), cur.cpuMillis(),
                        r.cpu().target(), r.cpu().lower(), r.cpu().upper(), cur.memoryMb(),
                        r.memory() == null ? "unchanged" : r.memory().target() + "MB [" + r.memory().lower() + ", "
                                + r.memory().upper() + "]"));
            }
        }
        return changes.proposal("vpa: evict to resize ", "vpa: every request within its recommended range");
    }

    private boolean mayEvict(StageUsage u, PresentStage s, long now) {
        return u.samples >= settings.minSamples()
                && s.current().replicas() >= settings.minReplicasForEviction()
                && (u.lastEvictionMs == null || now - u.lastEvictionMs >= settings.minUpdateIntervalMs());
    }

    Recommendation recommend(StageUsage u, StageLimits l) {
        double m = 1 + settings.safetyMargin();
        Range cpu = Range.of(u.cpu.percentile(0.5) * m, u.cpu.percentile(0.9) * m, u.cpu.percentile(0.95) * m,
                Math.max(POD_MIN_CPU_MILLIS, l.minCpuMillis()), l.maxCpuMillis());
        Range memory = u.memory.isEmpty() ? null : Range.of(u.memory.percentile(0.5) * m, u.memory.percentile(0.95) * m,
                u.memory.percentile(0.95) * m, Math.max(POD_MIN_MEMORY_MB, l.minMemoryMb()), l.maxMemoryMb());
        return new Recommendation(cpu, memory);
    }

    @Override
    public String name() {
        return "vpa";
    }

    /** A recommendation for one stage; memory is null until a memory sample has been seen. */
    record Recommendation(Range cpu, Range memory) {
    }

    /** Lower bound, target and upper bound of one resource, rounded up and capped to the stage's bounds. */
    record Range(int lower, int target, int upper) {

        static Range of(double lower, double target, double upper, int min, int max) {
            return new Range(cap(lower, min, max), cap(target, min, max), cap(upper, min, max));
        }

        boolean contains(int request) {
            return request >= lower && request <= upper;
        }

        private static int cap(double v, int min, int max) {
            return (int) Math.max(min, Math.min(max, Math.ceil(v)));
        }
    }

    /** The recommender's state of one stage, and when the updater last evicted it. */
    static final class StageUsage {
        final DecayingHistogram cpu;
        final DecayingHistogram memory;
        int samples;
        Long lastEvictionMs;

        StageUsage(long halfLifeMs) {
            cpu = DecayingHistogram.cpuMillicores(halfLifeMs);
            memory = DecayingHistogram.memoryMb(halfLifeMs);
        }

        /** One sample per pod, as VPA samples every pod: the stage's mean usage weighted by its replica count. */
        void record(StageWindow w, long now) {
            Allocation a = w.allocation();
            int pods = Math.max(1, a.replicas());
            double cpuUsage = w.cpuUtil() * a.cpuMillis();
            if (Double.isFinite(cpuUsage) && cpuUsage >= 0) {
                cpu.add(cpuUsage, Math.max(a.cpuMillis() / 1000.0, MIN_SAMPLE_WEIGHT) * pods, now);
                samples++;
            }
            double memUsage = w.memUtil() * a.memoryMb();
            if (Double.isFinite(memUsage) && memUsage >= 0) {
                memory.add(memUsage, pods, now);
            }
        }
    }
}
