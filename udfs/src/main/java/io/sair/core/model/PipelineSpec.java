package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a pipeline is and how SAIR may control it: the value on {@code sair.pipelines} and the
 * {@code spec} of a PipelineAutoscaler resource.
 *
 * @param name pipeline id (the Kafka key)
 * @param stages in pipeline order (first = preprocessing, last = postprocessing)
 * @param slaP99Ms end-to-end p99 target
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PipelineSpec(Integer v, String name, List<StageSpec> stages, Double slaP99Ms, Prices prices,
                           PolicySettings policy, Mode mode) {

    public static final int VERSION = 1;

    /** Stage names that would clash with the top-level fields of the LLM's answer. */
    static final Set<String> RESERVED = Set.of("bottleneck", "rationale", "stages", "action");

    public PipelineSpec {
        v = v == null ? VERSION : v;
        stages = stages == null ? List.of() : List.copyOf(stages);
        prices = prices == null ? Prices.aws() : prices;
        policy = policy == null ? PolicySettings.defaults() : policy;
        mode = mode == null ? Mode.ENFORCE : mode;
    }

    /** A stage's share of the p99 SLA, the budget its own latency is judged by: the SLA over the stages. */
    public double stageShareMs() {
        return slaP99Ms / Math.max(1, stages.size());
    }

    public Optional<StageSpec> stage(String stageName) {
        int i = indexOf(stageName);
        return i < 0 ? Optional.empty() : Optional.of(stages.get(i));
    }

    public int indexOf(String stageName) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).name().equals(stageName)) {
                return i;
            }
        }
        return -1;
    }

    /** Every problem of this spec, each naming its field; empty when it is usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (name == null || name.isBlank()) {
            p.add("name: missing");
        } else if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            p.add("name: must match [A-Za-z0-9][A-Za-z0-9._-]{0,62}");
        }
        if (slaP99Ms == null || !(slaP99Ms > 0) || slaP99Ms.isInfinite()) {
            p.add("slaP99Ms: must be a positive number of milliseconds");
        }
        if (stages.isEmpty()) {
            p.add("stages: at least one stage is required");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < stages.size(); i++) {
            StageSpec s = stages.get(i);
            String at = "stages[" + i + "]";
            if (s == null) {
                p.add(at + ": null");
                continue;
            }
            if (s.name() == null || !s.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                p.add(at + ".name: must match [A-Za-z0-9][A-Za-z0-9._-]{0,62}");
            } else if (RESERVED.contains(s.name())) {
                p.add(at + ".name: '" + s.name() + "' is reserved (a field of the LLM's answer)");
            } else if (!seen.add(s.name())) {
                p.add(at + ".name: duplicate stage '" + s.name() + "'");
            }
            if (s.kind() == null) {
                p.add(at + ".kind: missing (cpu|gpu)");
            }
            StageLimits l = s.limits();
            if (l.minReplicas() < 0 || l.maxReplicas() < l.minReplicas()) {
                p.add(at + ".limits: need 0 <= minReplicas <= maxReplicas");
            }
            if (l.minCpuMillis() <= 0 || l.maxCpuMillis() < l.minCpuMillis()) {
                p.add(at + ".limits: need 0 < minCpuMillis <= maxCpuMillis");
            }
            if (l.minMemoryMb() <= 0 || l.maxMemoryMb() < l.minMemoryMb()) {
                p.add(at + ".limits: need 0 < minMemoryMb <= maxMemoryMb");
            }
            if (!(l.minRate() > 0) || l.maxRate() > 1.0 || l.maxRate() < l.minRate()) {
                p.add(at + ".limits: need 0 < minRate <= maxRate <= 1");
            }
            if (l.replicaStep() < 1 || l.cpuStepMillis() < 1 || l.memoryStepMb() < 1 || !(l.rateStep() > 0)) {
                p.add(at + ".limits: steps must be positive");
            }
            if (l.scaleUpCooldownMs() < 0 || l.scaleDownCooldownMs() < 0 || l.rateCooldownMs() < 0) {
                p.add(at + ".limits: cooldowns must not be negative");
            }
            Allocation a = s.initial();
            if (a.replicas() < l.minReplicas() || a.replicas() > l.maxReplicas()
                    || a.cpuMillis() < l.minCpuMillis() || a.cpuMillis() > l.maxCpuMillis()
                    || a.memoryMb() < l.minMemoryMb() || a.memoryMb() > l.maxMemoryMb()
                    || a.rate() < l.minRate() || a.rate() > l.maxRate()) {
                p.add(at + ".initial: must lie within the stage's limits");
            }
            if (s.gpus() < 0) {
                p.add(at + ".gpus: must not be negative");
            }
            KafkaInput in = s.input();
            if (in != null && (in.topic() == null || !in.topic().matches(KafkaInput.TOPIC_NAME))) {
                p.add(at + ".input.topic: must be a Kafka topic name ([A-Za-z0-9._-]{1,249})");
            }
            if (in != null && (in.group() == null || in.group().isEmpty())) {
                p.add(at + ".input.group: missing (the consumer group the stage's pods read the topic with)");
            }
        }
        PolicySettings ps = policy;
        if (ps.selectorSetting() == null) {
            p.add("policy.selector: must be auto, builtin or llm");
        }
        if (ps.llmProvider() != null && !List.of("openai", "ollama", "anthropic").contains(ps.llmProvider())) {
            p.add("policy.llmProvider: must be openai, ollama or anthropic");
        }
        if (ps.episodes() < 1 || ps.episodes() > 50) {
            p.add("policy.episodes: must be in [1, 50]");
        }
        if (ps.epsilon() < 0 || ps.epsilon() > 1 || ps.epsilonFloor() < 0 || ps.epsilonDecay() <= 0 || ps.epsilonDecay() > 1) {
            p.add("policy: epsilon, epsilonFloor in [0,1] and epsilonDecay in (0,1] required");
        }
        if (ps.memoryCap() < 1) {
            p.add("policy.memoryCap: must be positive");
        }
        if (ps.temperature() < 0 || ps.temperature() > 2) {
            p.add("policy.temperature: must be in [0, 2]");
        }
        if (ps.reward() != null) {
            p.addAll(ps.reward().problems("policy.reward"));
        }
        if (prices.coreHour() < 0 || prices.gibHour() < 0 || prices.gpuHour() < 0) {
            p.add("prices: must not be negative");
        }
        return p;
    }
}
