package io.sair.job.demo;

import io.sair.core.model.ScalingDecision;

/**
 * One fast-path (surge) decision the demo's plant applied, and when: the plant applies a surge when it reads it,
 * which is the report period it was decided on unless the job answered after that period's short wait.
 *
 * @param decision the decision as a row (its round is the one it came in, its time the report period's end)
 * @param appliedMinutes simulated time at which the plant applied it
 */
public record SurgeRow(RoundRow decision, double appliedMinutes) {

    public static SurgeRow of(int round, long epochMs, ScalingDecision d, double plantNowMs) {
        return new SurgeRow(RoundRow.of(round, epochMs, d), plantNowMs / 60_000.0);
    }

    /** Simulated seconds between the report period the surge was decided on and its application. */
    public double lateSeconds() {
        return Math.max(0, (appliedMinutes - decision.simMinutes()) * 60);
    }
}
