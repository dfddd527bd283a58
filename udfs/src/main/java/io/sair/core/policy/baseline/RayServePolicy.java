package io.sair.core.policy.baseline;

import io.sair.core.model.StageAction;
import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import java.util.HashMap;
import java.util.Map;

/**
 * Ray Serve's default autoscaling policy ({@code replica_queue_length_autoscaling_policy} in
 * {@code ray/serve/autoscaling_policy.py}) per stage: the ongoing requests (running and queued,
 * {@link InFlight}) averaged over the look-back period give desired = total / target; the scaling factor
 * moves part of the way there (ceil, and at least one replica down when the desire is lower); the replica
 * bounds apply; then the delay logic: the desire to scale up must hold for {@code upscale_delay_s} (30 s) and
 * the desire to scale down for {@code downscale_delay_s} (600 s) without a change of direction before the
 * target moves. Ray counts control-loop periods of 0.1 s; here the same delay is measured in time between
 * the decision rounds. One instance serves one pipeline; not thread-safe.
 */
public final class RayServePolicy implements Policy {

    private final RayServeSettings settings;
    private final Map<String, StageState> state = new HashMap<>();

    public RayServePolicy(RayServeSettings settings) {
        this.settings = settings;
    }

    @Override
    public Proposal propose(PolicyInput in) {
        long now = in.nowMs();
        StageChanges changes = new StageChanges();
        for (PresentStage s : PresentStage.of(in)) {
            StageState st = state.computeIfAbsent(s.name(), k -> new StageState(settings.lookBackPeriodMs()));
            st.ongoing.add(s.window().windowStart(), s.window().windowEnd(), InFlight.of(s.window()));
            double total = st.ongoing.average(now, settings.lookBackPeriodMs());
            int current = s.current().replicas();
            if (!Double.isFinite(total) || current <= 0) {
                continue;
            }
            double target = settings.targetFor(s.name());
            int wanted = s.clampReplicas(scaled(total / target, current, settings));
            int decided = st.delay(wanted, current, now, settings);
            if (decided != current) {
                changes.add(StageAction.replicas(s.name(), decided),
                        String.format("%s %d->%d (ongoing %.1f, target %.1f/replica)", s.name(), current, decided, total,
                        target));
            }
        }
        return changes.proposal("ray: ", "ray: no stage past its delay");
    }

    /** Ray's scaling factors: move factor x the difference, rounded up, and at least one down when lower. */
    static int scaled(double desired, int current, RayServeSettings s) {
        double delta = desired - current;
        double factor = delta > 0 ? s.upscalingFactor() : s.downscalingFactor();
        int out = (int) Math.min(Integer.MAX_VALUE, Math.ceil(current + factor * delta));
        if (Math.ceil(desired) < current && out == current) {
            out--;
        }
        return out;
    }

    @Override
    public String name() {
        return "ray";
    }

    /** Per deployment: the ongoing-request history and since when the current desire has held. */
    private static final class StageState {
        final TimeWindowAverage ongoing;
        int direction;
        long sinceMs;

        StageState(long lookBackMs) {
            ongoing = new TimeWindowAverage(lookBackMs);
        }

        /** Ray's decision counter, in time: a desire resets when its direction changes or when it is acted on. */
        int delay(int wanted, int current, long now, RayServeSettings s) {
            int dir = Integer.compare(wanted, current);
            if (dir == 0) {
                direction = 0;
                return current;
            }
            if (dir != direction) {
                direction = dir;
                sinceMs = now;
            }
            long delayMs = dir > 0 ? s.upscaleDelayMs() : s.downscaleDelayMs();
            if (now - sinceMs >= delayMs) {
                direction = 0;
                return wanted;
            }
            return current;
        }
    }
}
