package io.sair.core.policy.baseline;

import io.sair.core.model.StageAction;
import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import java.util.HashMap;
import java.util.Map;

/**
 * The Knative Pod Autoscaler on each stage's concurrency ({@link InFlight}), as Knative Serving's
 * {@code pkg/autoscaler/scaling/autoscaler.go} decides: desired pods = ceil(average concurrency / target per
 * pod) over the stable window (60 s) and over the panic window (6 s), both kept within [ready / max scale-down
 * rate, ready x max scale-up rate]. When the panic window asks for at least {@code panicThreshold} (2.0) times
 * the ready pods, the autoscaler panics: it takes the larger of the two counts and never scales down, and it
 * stops panicking only after a whole stable window without that reason. The replica bounds play the role of
 * Knative's min-scale and max-scale; scale to zero is off (every stage keeps at least one pod).
 *
 * <p>Here the ready pods are the replicas the stage is set to (the window does not tell the starting ones
 * apart); Knative ticks every 2 s, the simulator drives it at each 5 s report. One instance serves one
 * pipeline; not thread-safe.
 */
public final class KpaPolicy implements Policy {

    private final KpaSettings settings;
    private final Map<String, StageState> state = new HashMap<>();

    public KpaPolicy(KpaSettings settings) {
        this.settings = settings;
    }

    @Override
    public Proposal propose(PolicyInput in) {
        long now = in.nowMs();
        StageChanges changes = new StageChanges();
        for (PresentStage s : PresentStage.of(in)) {
            StageState st = state.computeIfAbsent(s.name(), k -> new StageState(settings.stableWindowMs()));
            st.concurrency.add(s.window().windowStart(), s.window().windowEnd(), InFlight.of(s.window()));
            double stable = st.concurrency.average(now, settings.stableWindowMs());
            double panic = st.concurrency.average(now, settings.panicWindowMs());
            int current = s.current().replicas();
            if (!Double.isFinite(stable) || !Double.isFinite(panic) || current <= 0) {
                continue;
            }
            int desired = s.clampReplicas(st.decide(current, stable, panic, settings.targetPerPod(s.name()), now,
                    settings));
            if (desired != current) {
                changes.add(StageAction.replicas(s.name(), desired),
                        String.format("%s %d->%d (concurrency stable %.1f, panic %.1f, target %.1f/pod%s)", s.name(),
                        current, desired, stable, panic, settings.targetPerPod(s.name()),
                        st.panicking() ? ", panicking" : ""));
            }
        }
        return changes.proposal("kpa: ", "kpa: every stage at its desired pod count");
    }

    /** Whether the named stage is in panic mode (for tests and rationales). */
    public boolean panicking(String stage) {
        StageState st = state.get(stage);
        return st != null && st.panicking();
    }

    @Override
    public String name() {
        return "kpa";
    }

    /** What the autoscaler keeps per revision: the concurrency history and its panic state. */
    private static final class StageState {
        final TimeWindowAverage concurrency;
        long panicSinceMs = Long.MIN_VALUE;
        int maxPanicPods;

        StageState(long stableWindowMs) {
            concurrency = new TimeWindowAverage(stableWindowMs);
        }

        boolean panicking() {
            return panicSinceMs != Long.MIN_VALUE;
        }

        int decide(int readyPods, double stable, double panic, double target, long now, KpaSettings s) {
            double ready = Math.max(1, readyPods);
            double maxUp = Math.ceil(s.maxScaleUpRate() * ready);
            double maxDown = Math.floor(ready / s.maxScaleDownRate());
            double dspc = Math.ceil(stable / target);
            double dppc = Math.ceil(panic / target);
            int desiredStable = (int) Math.min(Math.max(dspc, maxDown), maxUp);
            int desiredPanic = (int) Math.min(Math.max(dppc, maxDown), maxUp);
            boolean overThreshold = dppc / ready >= s.panicThreshold();
            if (overThreshold) {
                // Start panicking, or extend the panic while the burst lasts.
                panicSinceMs = now;
            } else if (panicking() && panicSinceMs + s.stableWindowMs() < now) {
                // The surge has made its way into the stable window.
                panicSinceMs = Long.MIN_VALUE;
                maxPanicPods = 0;
            }
            if (!panicking()) {
                return desiredStable;
            }
            // In panic, provision for the larger of the two and never below what the panic already asked for.
            maxPanicPods = Math.max(maxPanicPods, Math.max(desiredStable, desiredPanic));
            return maxPanicPods;
        }
    }
}
