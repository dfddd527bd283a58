package io.sair.core.policy.baseline;

import io.sair.core.policy.Policy;
import java.util.List;
import java.util.Locale;

/**
 * Creates the baseline autoscalers by name: the paper's four and what a platform team would run today
 * (Knative KPA, KEDA, Ray Serve, the Flink autoscaler's DS2-style scaler); each call gives a fresh
 * instance for one pipeline run.
 */
public final class Baselines {

    public static final List<String> NAMES = List.of("static", "hpa", "vpa", "threshold", "kpa", "keda", "ray", "ds2");

    private Baselines() {
    }

    public static Policy create(String name, BaselineSettings settings) {
        BaselineSettings s = settings == null ? BaselineSettings.defaults() : settings;
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "static" -> new StaticPolicy();
            case "hpa" -> new HpaPolicy(s.hpa());
            case "vpa" -> new VpaPolicy(s.vpa());
            case "threshold" -> new ThresholdPolicy(s.threshold());
            case "kpa" -> new KpaPolicy(s.kpa());
            case "keda" -> new KedaPolicy(s.keda());
            case "ray" -> new RayServePolicy(s.ray());
            case "ds2" -> new Ds2Policy(s.ds2());
            default -> throw new IllegalArgumentException("unknown baseline '" + name + "' (one of " + NAMES + ")");
        };
    }
}
