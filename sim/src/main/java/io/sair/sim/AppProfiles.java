package io.sair.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sair.core.model.Json;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.Prices;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.sim.plant.StageModel;
import io.sair.sim.workload.RateShape;
import io.sair.sim.workload.WorkDist;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The four applications of the paper's evaluation, as simulator profiles. Each pipeline (SLA, stages,
 * limits, initial allocation) is the job's example spec of the same name ({@link #spec}); what only the
 * simulator knows, how each stage behaves, is named here. Service times are at the reference allocation
 * (1000 m CPU per server, GPU rate 1.0); numbers and their reasons are in sim/README.md. Every app starts from an allocation sized for its mean Poisson rate (that is also
 * what the static baseline keeps); ramp and burst go well beyond it.
 */
public final class AppProfiles {

    public static final List<String> NAMES = List.of("image", "nlp", "textgen", "video");

    private static final long MIN = 60_000;
    private static final ObjectMapper YAML = new YAMLMapper();

    private AppProfiles() {
    }

    /** Names an app whose GPUs are billed by the share a stage uses ({@code prices.gpuShared: true}), e.g. {@code image-shared}. */
    public static final String SHARED = "-shared";

    /**
     * Names an app whose CPU stages resize in place ({@code kubernetes.inPlaceResize: true}, Kubernetes 1.33+), e.g.
     * {@code image-inplace}: a CPU change reaches the running pods at once instead of rolling them.
     */
    public static final String IN_PLACE = "-inplace";

    public static AppProfile get(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.endsWith(IN_PLACE)) {
            return inPlaceResize(get(n.substring(0, n.length() - IN_PLACE.length())));
        }
        if (n.endsWith(SHARED)) {
            return sharedGpus(get(n.substring(0, n.length() - SHARED.length())));
        }
        return switch (n) {
            case "image", "image-classification" -> image();
            case "nlp", "nlp-analysis" -> nlp();
            case "textgen", "text-generation" -> textgen();
            case "video", "video-analysis" -> video();
            default -> throw new IllegalArgumentException("unknown app '" + name + "' (one of " + NAMES + ")");
        };
    }

    /**
     * The same app on the same requests, its GPUs billed by the share a stage uses (MIG, MPS, time-slicing with a
     * chargeback): there the effective cost is the bill, and throttling a GPU saves money.
     */
    static AppProfile sharedGpus(AppProfile app) {
        PipelineSpec s = app.spec();
        Prices p = s.prices();
        PipelineSpec shared = new PipelineSpec(s.v(), s.name(), s.stages(), s.slaP99Ms(),
                new Prices(p.coreHour(), p.gibHour(), p.gpuHour(), true), s.policy(), s.mode());
        return new AppProfile(app.name() + SHARED, app.title() + ", GPUs shared", shared, app.models(), app.u(), app.g(),
                app.meanRate(), app.poisson(), app.ramp(), app.burst(), app.traceWork());
    }

    /**
     * The same app on the same requests, its CPU stages resized in place: the instant CPU lever the fast path raises
     * first where a stage allows it. GPU stages are not resized (their lever is the rate).
     */
    static AppProfile inPlaceResize(AppProfile app) {
        PipelineSpec s = app.spec();
        List<StageSpec> stages = s.stages().stream().map(st -> st.kind() != StageKind.CPU ? st
                : new StageSpec(st.name(), st.kind(), inPlace(st), st.limits(), st.gpus(), st.initial(), st.input()))
                .toList();
        PipelineSpec resized = new PipelineSpec(s.v(), s.name(), stages, s.slaP99Ms(), s.prices(), s.policy(), s.mode());
        return new AppProfile(app.name() + IN_PLACE, app.title() + ", CPU resized in place", resized, app.models(),
                app.u(), app.g(), app.meanRate(), app.poisson(), app.ramp(), app.burst(), app.traceWork());
    }

    private static KubeTarget inPlace(StageSpec st) {
        KubeTarget k = st.kubernetes();
        return k == null ? new KubeTarget(null, st.name(), null, true)
                : new KubeTarget(k.namespace(), k.deployment(), k.container(), true, k.gpuAgentUrl());
    }

    /** The app a name's requests come from: a shared-GPU or in-place variant runs its base app's. */
    public static String baseName(String name) {
        for (String suffix : List.of(IN_PLACE, SHARED)) {
            if (name.endsWith(suffix)) {
                return baseName(name.substring(0, name.length() - suffix.length()));
            }
        }
        return name;
    }

    /**
     * Image classification (MobileNetV2): CPU-heavy preprocessing (decode, resize, normalise; 30 ms per
     * image at 1 core, size factor cv 0.3), batched GPU inference (3 ms + 1.2 ms per image, batches up
     * to 16), light postprocessing (2 ms). 80 rps mean; SLA p99 150 ms.
     */
    public static AppProfile image() {
        double rate = 80;
        List<StageModel> models = List.of(
                StageModel.cpu("preprocess").uMs(30).alpha(0.9).baseMemMb(300).wsMbPerU(40).startupMs(20_000).build(),
                StageModel.gpu("inference").batchMs(3).itemMs(1.2).maxBatch(16).baseMemMb(1500).wsMb(8).startupMs(45_000)
                        .build(),
                StageModel.cpu("postprocess").itemMs(2).alpha(0.5).baseMemMb(128).wsMb(2).startupMs(15_000).build());
        PipelineSpec spec = spec("image-classification");
        return new AppProfile("image", "Image classification (MobileNetV2)", spec, models, new WorkDist(1, 0.3, 0.3, 3),
                WorkDist.NONE, rate, RateShape.constant(rate), RateShape.ramp(0.4 * rate, 1.8 * rate, 60 * MIN),
                RateShape.burst(0.7 * rate, 2.5 * rate, 10 * MIN, 2 * MIN, 5 * MIN), false);
    }

    /**
     * NLP analysis (BERT): tokenisation (6 ms x length), BERT-base on GPU (4 ms per batch + 2.5 ms x
     * length per text, batches up to 32), postprocessing (entity/sentiment aggregation, 8 ms x length).
     * Balanced: at low load the GPU's per-batch overhead makes it the busiest stage, at high load
     * batching amortises it and the CPU stages saturate first (the bottleneck migrates). Length factor
     * lognormal cv 0.6. 100 rps mean; SLA p99 200 ms.
     */
    public static AppProfile nlp() {
        double rate = 100;
        List<StageModel> models = List.of(
                StageModel.cpu("tokenize").uMs(6).alpha(0.7).baseMemMb(256).wsMb(10).wsMbPerU(10).startupMs(20_000).build(),
                StageModel.gpu("bert").batchMs(4).uMs(2.5).maxBatch(32).baseMemMb(2000).wsMb(4).wsMbPerU(2)
                        .startupMs(45_000).build(),
                StageModel.cpu("postprocess").uMs(8).alpha(0.8).baseMemMb(256).wsMb(20).wsMbPerU(10).startupMs(20_000)
                        .build());
        PipelineSpec spec = spec("nlp-analysis");
        return new AppProfile("nlp", "NLP analysis (BERT)", spec, models, new WorkDist(1, 0.6, 0.2, 6), WorkDist.NONE, rate,
                RateShape.constant(rate), RateShape.ramp(0.4 * rate, 1.8 * rate, 60 * MIN),
                RateShape.burst(0.7 * rate, 2.5 * rate, 10 * MIN, 2 * MIN, 5 * MIN), false);
    }

    /**
     * Text generation (decoder-only transformer): tokenise (2 ms + 0.001 ms per context token),
     * autoregressive generation on GPU with static batches up to 8 (15 ms + 0.04 ms per context token
     * of prefill, summed, + 5 ms per decode step for the longest output, each step 3% slower per extra
     * sequence in the batch), detokenise and safety-filter (3 ms + 0.05 ms per generated token).
     * Context tokens lognormal mean 2000 (cv 0.9), generated tokens mean 28 (cv 1.5), as in the Azure
     * code trace. 10 rps mean; SLA p99 4 s.
     */
    public static AppProfile textgen() {
        double rate = 10;
        List<StageModel> models = List.of(
                StageModel.cpu("tokenize").itemMs(2).uMs(0.001).alpha(0.5).baseMemMb(256).wsMb(5).wsMbPerU(0.002)
                        .startupMs(20_000).build(),
                StageModel.gpu("generate").batchMs(15).uMs(0.04).stepMs(5).stepGrowth(0.03).maxBatch(8).baseMemMb(4000)
                        .wsMb(50).wsMbPerU(0.01).startupMs(60_000).build(),
                StageModel.cpu("detokenize").itemMs(3).gMs(0.05).alpha(0.5).baseMemMb(256).wsMb(5).startupMs(20_000)
                        .build());
        PipelineSpec spec = spec("text-generation");
        return new AppProfile("textgen", "Text generation (transformer decoder)", spec, models,
                new WorkDist(2000, 0.9, 16, 8000), new WorkDist(28, 1.5, 1, 1024), rate, RateShape.constant(rate),
                RateShape.ramp(0.4 * rate, 1.8 * rate, 60 * MIN), RateShape.burst(0.7 * rate, 2.5 * rate, 10 * MIN, 2 * MIN,
                        5 * MIN), true);
    }

    /**
     * Video analysis: frame extraction and resize (25 ms per frame at 1 core, 4 clips at a time per pod,
     * 10 MB per frame in memory), per-frame detection on GPU (20 ms per batch + 2 ms per frame, up to 4
     * clips per batch), tracking and aggregation (15 ms per frame, 2 clips at a time per pod). Frames
     * per clip lognormal mean 64 (cv 0.5, 8..300). High memory: a replica holding big clips goes over
     * its limit and is OOM-killed. 4 rps mean; SLA p99 20 s.
     */
    public static AppProfile video() {
        double rate = 4;
        List<StageModel> models = List.of(
                StageModel.cpu("decode").uMs(25).alpha(0.85).slots(4).baseMemMb(512).wsMbPerU(10).startupMs(30_000).build(),
                StageModel.gpu("detect").batchMs(20).uMs(2).maxBatch(4).baseMemMb(3000).wsMbPerU(2).startupMs(60_000)
                        .build(),
                StageModel.cpu("aggregate").uMs(15).alpha(0.7).slots(2).baseMemMb(512).wsMbPerU(4).startupMs(30_000)
                        .build());
        PipelineSpec spec = spec("video-analysis");
        return new AppProfile("video", "Video analysis (multi-frame)", spec, models, new WorkDist(64, 0.5, 8, 300),
                WorkDist.NONE, rate, RateShape.constant(rate), RateShape.ramp(0.4 * rate, 1.8 * rate, 60 * MIN),
                RateShape.burst(0.7 * rate, 2.5 * rate, 10 * MIN, 2 * MIN, 5 * MIN), false);
    }

    /**
     * The pipeline of {@code examples/<file>.yaml} (the job's example spec, packaged with the simulator): its
     * name, SLA and stages with their kind, limits and initial allocation. Where the pods run, prices and
     * policy are a deployment's, not the simulator's, so they are left at the spec defaults.
     */
    static PipelineSpec spec(String file) {
        return SPECS.computeIfAbsent(file, AppProfiles::readSpec);
    }

    /** Read once per file: a spec is immutable, and every run and the bench's run ordering look the app up. */
    private static final Map<String, PipelineSpec> SPECS = new ConcurrentHashMap<>();

    private static PipelineSpec readSpec(String file) {
        String resource = "/examples/" + file + ".yaml";
        PipelineSpec example;
        try (InputStream in = AppProfiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the classpath");
            }
            example = Json.MAPPER.treeToValue(YAML.readTree(in), PipelineSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        List<StageSpec> stages = example.stages().stream()
                .map(s -> new StageSpec(s.name(), s.kind(), null, s.limits(), null, s.initial())).toList();
        return new PipelineSpec(null, example.name(), stages, example.slaP99Ms(), null, null, null);
    }
}
