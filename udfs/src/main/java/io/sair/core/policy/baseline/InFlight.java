package io.sair.core.policy.baseline;

import io.sair.core.model.StageWindow;

/**
 * Requests inside a stage (waiting or in service) over a window, the metric of the request-driven
 * autoscalers (Knative's concurrency, Ray Serve's ongoing requests). The windows carry no in-flight
 * gauge, so it is derived by Little's law: arrivals per second x the stage's median latency (queue +
 * service; the mean is not carried, and the median of a right-skewed latency under-counts slightly),
 * and never below the requests waiting at the window's end, which are inside the stage by definition
 * (during a surge the latency of what finished lags behind the queue that builds).
 */
final class InFlight {

    private InFlight() {
    }

    static double of(StageWindow w) {
        double rate = w.arrivals() / w.windowSeconds();
        double latencySeconds = Double.isFinite(w.p50Ms()) && w.p50Ms() > 0 ? w.p50Ms() / 1000.0 : 0.0;
        double little = rate * latencySeconds;
        double waiting = Math.max(0, w.queueDepth());
        return Math.max(little, waiting);
    }
}
