package io.sair.core.policy.baseline;

import java.util.Map;

/**
 * Knobs of the Ray Serve baseline, with the defaults of {@code ray.serve.config.AutoscalingConfig}
 * (docs.ray.io, "Advanced Ray Serve Autoscaling"):
 *
 * @param targetOngoingRequests requests per replica the autoscaler aims for, running and queued (2 since
 *        Ray 2.32; before, 1)
 * @param perStageTarget a deployment's own target, overriding the default for the named stage
 * @param upscaleDelayMs {@code upscale_delay_s}: scale up only after wanting to for this long (30 s)
 * @param downscaleDelayMs {@code downscale_delay_s}: scale down only after wanting to for this long (600 s)
 * @param lookBackPeriodMs {@code look_back_period_s}: the ongoing requests are averaged over this (30 s)
 * @param upscalingFactor {@code upscaling_factor} (unset: the smoothing factor, 1.0)
 * @param downscalingFactor {@code downscaling_factor} (unset: the smoothing factor, 1.0)
 */
public record RayServeSettings(double targetOngoingRequests, Map<String, Double> perStageTarget, long upscaleDelayMs,
                               long downscaleDelayMs, long lookBackPeriodMs, double upscalingFactor,
                               double downscalingFactor) {

    public RayServeSettings {
        if (!(targetOngoingRequests > 0) || Double.isInfinite(targetOngoingRequests)) {
            throw new IllegalArgumentException("targetOngoingRequests must be positive, got " + targetOngoingRequests);
        }
        perStageTarget = perStageTarget == null ? Map.of() : Map.copyOf(perStageTarget);
        for (Map.Entry<String, Double> e : perStageTarget.entrySet()) {
            if (!(e.getValue() > 0) || e.getValue().isInfinite()) {
                throw new IllegalArgumentException("target of stage " + e.getKey() + " must be positive");
            }
        }
        if (upscaleDelayMs < 0 || downscaleDelayMs < 0 || lookBackPeriodMs <= 0) {
            throw new IllegalArgumentException("delays must be >= 0 and the look-back period > 0");
        }
        if (!(upscalingFactor > 0) || !(downscalingFactor > 0)) {
            throw new IllegalArgumentException("scaling factors must be positive");
        }
    }

    public static RayServeSettings defaults() {
        return new RayServeSettings(2.0, Map.of(), 30_000, 600_000, 30_000, 1.0, 1.0);
    }

    public double targetFor(String stage) {
        return perStageTarget.getOrDefault(stage, targetOngoingRequests);
    }

    public RayServeSettings withTargets(Map<String, Double> perStage) {
        return new RayServeSettings(targetOngoingRequests, perStage, upscaleDelayMs, downscaleDelayMs, lookBackPeriodMs,
                upscalingFactor, downscalingFactor);
    }

    public RayServeSettings withTarget(double target) {
        return new RayServeSettings(target, perStageTarget, upscaleDelayMs, downscaleDelayMs, lookBackPeriodMs,
                upscalingFactor, downscalingFactor);
    }
}
