package io.sair.flink;

import io.sair.core.ControllerState;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The controller's Flink metrics (group {@code sair}): decision and probe counters, and the latest
 * reward, epsilon, memory and frontier size, p99 and cost. Per-pipeline gauges (subgroup
 * {@code pipeline=<name>}) can be switched off for large fleets; then the gauges show the last pipeline decided.
 */
final class ControllerMetrics {

    private final MetricGroup group;
    private final boolean perPipeline;
    private final Counter decisions;
    private final Counter probes;
    private final Counter fallbacks;
    private final Values latest = new Values();
    private final Map<String, Values> pipelines = new HashMap<>();

    ControllerMetrics(MetricGroup root, boolean perPipeline) {
        this.group = root.addGroup("sair");
        this.perPipeline = perPipeline;
        this.decisions = group.counter("decisions");
        this.probes = group.counter("probes");
        this.fallbacks = group.counter("fallbacks");
        latest.register(group);
    }

    /** The LLM calls counter ({@code llmCalls}) and a gauge of the calls awaiting their answer ({@code llmCallsInFlight}). */
    Counter llm(java.util.function.IntSupplier inFlight) {
        group.gauge("llmCallsInFlight", (Gauge<Integer>) inFlight::getAsInt);
        return group.counter("llmCalls");
    }

    void record(ScalingDecision d, ControllerState s) {
        decisions.inc();
        if (d.selector() == Selector.PROBE) {
            probes.inc();
        }
        if (d.selector() == Selector.FALLBACK) {
            fallbacks.inc();
        }
        latest.set(d, s);
        if (perPipeline) {
            pipelines.computeIfAbsent(d.pipeline(), p -> {
                Values v = new Values();
                v.register(group.addGroup("pipeline", p));
                return v;
            }).set(d, s);
        }
    }

    /** The latest values of one pipeline (or of the operator), read by the gauges. */
    private static final class Values {
        volatile double reward = Double.NaN;
        volatile double epsilon;
        volatile int experiences;
        volatile int frontier;
        volatile double p99;
        volatile double cost;

        void register(MetricGroup g) {
            g.gauge("reward", (Gauge<Double>) () -> reward);
            g.gauge("epsilon", (Gauge<Double>) () -> epsilon);
            g.gauge("experiences", (Gauge<Integer>) () -> experiences);
            g.gauge("frontierSize", (Gauge<Integer>) () -> frontier);
            g.gauge("p99Ms", (Gauge<Double>) () -> p99);
            g.gauge("costPerHour", (Gauge<Double>) () -> cost);
        }

        void set(ScalingDecision d, ControllerState s) {
            if (d.previousReward() != null) {
                reward = d.previousReward().total();
            }
            epsilon = s.exploration().epsilon();
            experiences = s.experiences().size();
            frontier = s.frontier().size();
            p99 = d.p99Ms();
            cost = d.costPerHour();
        }
    }
}
