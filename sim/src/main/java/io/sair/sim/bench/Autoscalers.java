package io.sair.sim.bench;

import io.sair.core.SairController;
import io.sair.core.SairController.ControllerConfig;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageTarget;
import io.sair.core.policy.BottleneckRule;
import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import io.sair.core.policy.llm.LlmClient;
import io.sair.core.reward.RewardConfig;
import io.sair.sim.loop.Autoscaler;
import io.sair.sim.loop.PolicyAutoscaler;
import io.sair.sim.loop.SairAutoscaler;
import io.sair.sim.AppProfile;
import io.sair.sim.plant.StageModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The autoscalers of the grid and the ablation, by name. */
public final class Autoscalers {

    public static final List<String> NAMES = List.of("static", "hpa", "vpa", "threshold", "kpa", "keda", "ray", "ds2",
            "sair");

    /**
     * How often each baseline decides, where it is not the loop's 30 s window: Knative ticks every 2 s and
     * Ray Serve's control loop every 0.1 s, so both run at every 5 s report (the finest the plant gives);
     * KEDA's metric is read at each 15 s HPA sync; the DS2 scaler's windows are minutes long.
     */
    static final Map<String, Long> DECISION_INTERVAL_MS = Map.of("kpa", 5_000L, "ray", 5_000L, "keda", 15_000L);

    /** The paper's eight ablation configurations (Table 1), and SAIR without its fast surge path. */
    public static final List<String> ABLATIONS = List.of("full", "no-icl", "store-all", "linear-penalty", "no-bonus",
            "equal-weights", "cost-focus", "pre-only", "no-surge");

    private Autoscalers() {
    }

    public static Autoscaler create(String name, PipelineSpec spec, Tuning tuning) {
        return create(name, spec, tuning, null, null);
    }

    /** As {@link #create(String, PipelineSpec, Tuning)}, SAIR asking the given LLM (null: built-in selector). */
    public static Autoscaler create(String name, PipelineSpec spec, Tuning tuning, LlmClient llm, String llmProvider) {
        if (name.equals("sair")) {
            return llm == null ? SairAutoscaler.defaults(spec)
                    : new SairAutoscaler("sair", SairController.defaults(), spec, null, llm, llmProvider);
        }
        Policy p = BaselineFactory.create(name, tuning);
        return PolicyAutoscaler.baseline(name, p, spec, DECISION_INTERVAL_MS.getOrDefault(name, 0L));
    }

    /**
     * As {@link #create(String, PipelineSpec, Tuning, LlmClient, String)} for a simulated app: the request-driven
     * baselines learn what one pod of each stage serves at once (servers x batch size), as a user would set
     * Knative's containerConcurrency or size Ray's target.
     */
    public static Autoscaler create(String name, AppProfile app, Tuning tuning, LlmClient llm, String llmProvider) {
        if (name.equals("sair")) {
            return create(name, app.spec(), tuning, llm, llmProvider);
        }
        Policy p = BaselineFactory.create(name, tuning, podCapacity(app));
        return PolicyAutoscaler.baseline(name, p, app.spec(), DECISION_INTERVAL_MS.getOrDefault(name, 0L));
    }

    /** Per stage, the most requests one pod holds in service: its servers x its largest batch. */
    static Map<String, Integer> podCapacity(AppProfile app) {
        Map<String, Integer> out = new HashMap<>();
        for (StageModel m : app.models()) {
            out.put(m.name(), m.slots() * m.maxBatch());
        }
        return out;
    }

    /** One ablation configuration of SAIR (names as {@link #ABLATIONS}). */
    public static Autoscaler ablation(String name, PipelineSpec spec) {
        ControllerConfig d = ControllerConfig.defaults();
        RewardConfig r = RewardConfig.defaults();
        return switch (name) {
            case "full" -> new SairAutoscaler(name, new SairController(d), spec, null);
            case "no-icl" -> new SairAutoscaler(name, new SairController(d.withBuiltin(ruleOnly()).withLearnedCapacity(false)),
                    spec, null);
            case "store-all" -> new SairAutoscaler(name, new SairController(d.withPositiveOnly(false)), spec, null);
            case "linear-penalty" -> new SairAutoscaler(name, new SairController(d.withReward(r.withLinearSla())), spec, null);
            case "no-bonus" -> new SairAutoscaler(name, new SairController(d.withReward(r.withoutBonus())), spec, null);
            case "equal-weights" -> new SairAutoscaler(name, new SairController(d.withReward(r.withWeights(0.5, 0.5))), spec,
                    null);
            case "cost-focus" -> new SairAutoscaler(name, new SairController(d.withReward(r.withWeights(0.3, 0.7))), spec,
                    null);
            case "pre-only" -> onlyStages(new SairAutoscaler(name, new SairController(d), spec, null),
                    Set.of(spec.stages().get(0).name()));
            case "no-surge" -> new SairAutoscaler(name, new SairController(d.withSurge(null)), spec, null);
            default -> throw new IllegalArgumentException("unknown ablation '" + name + "' (one of " + ABLATIONS + ")");
        };
    }

    /** No ICL: no retrieved episode ever decides; the bottleneck rule alone proposes. */
    static Policy ruleOnly() {
        BottleneckRule rule = BottleneckRule.defaults();
        return new Policy() {
            @Override
            public Proposal propose(PolicyInput in) {
                return rule.propose(in);
            }

            @Override
            public String name() {
                return "rule";
            }
        };
    }

    /**
     * Lets an autoscaler act on the named stages only (the ablation's Pre only): targets for other stages
     * are replaced by what they run. The controller learns from what was executed, so it sees this.
     */
    static Autoscaler onlyStages(Autoscaler inner, Set<String> allowed) {
        return new Autoscaler() {
            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public long surgeIntervalMs() {
                return inner.surgeIntervalMs();
            }

            @Override
            public Optional<ScalingDecision> surge(java.util.function.Supplier<io.sair.core.model.PipelineContext> shortWindow) {
                return inner.surge(shortWindow).map(this::keep);
            }

            @Override
            public Optional<ScalingDecision> decide(io.sair.core.model.PipelineContext ctx) {
                return inner.decide(ctx).map(this::keep);
            }

            private ScalingDecision keep(ScalingDecision d) {
                List<StageTarget> kept = new ArrayList<>();
                for (StageTarget t : d.stages()) {
                    kept.add(allowed.contains(t.stage()) ? t
                            : StageTarget.of(t.stage(), t.kind(), t.previous(), t.previous()));
                }
                return new ScalingDecision(d.v(), d.decisionId(), d.pipeline(), d.windowEnd(), d.mode(), d.selector(),
                        kept, d.adjustments(), d.bottleneck(), d.rationale(), d.fallbackReason(), d.previousReward(),
                        d.p99Ms(), d.slaMs(), d.costPerHour(), d.epsilon(), d.experiences());
            }
        };
    }
}
