package io.sair.sim;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.sim.plant.StageModel;
import io.sair.sim.workload.RateShape;
import io.sair.sim.workload.WorkDist;
import java.util.List;
import java.util.Locale;

/**
 * The four applications of the paper's evaluation, as simulator profiles. Service times are at the
 * reference allocation (1000 m CPU per server, GPU rate 1.0); numbers and their reasons are in
 * sim/README.md. Every app starts from an allocation sized for its mean Poisson rate (that is also
 * what the static baseline keeps); ramp and burst go well beyond it.
 */
final class LegacyAppProfiles {

    public static final List<String> NAMES = List.of("image", "nlp", "textgen", "video");

    private static final long MIN = 60_000;

    private LegacyAppProfiles() {
    }

    public static AppProfile get(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "image", "image-classification" -> image();
            case "nlp", "nlp-analysis" -> nlp();
            case "textgen", "text-generation" -> textgen();
            case "video", "video-analysis" -> video();
            default -> throw new IllegalArgumentException("unknown app '" + name + "' (one of " + NAMES + ")");
        };
    }

    /**
     * Image classification (MobileNetV2): CPU-heavy preprocessing (decode, resize, normalise; 30 ms per
     * image at 1 core, size factor cv 0.3), batched GPU inference (3 ms + 1.2 ms per image, batches up
     * to 16), light postprocessing (2 ms). 80 rps mean; SLA p99 150 ms.
     */
    public static AppProfile image() {
        double rate = 80;
        List<StageModel> models = List.of(
                StageModel.cpu("preprocess", 0, 30, 0.9, 1, 300, 0, 40, 20_000),
                new StageModel("inference", StageKind.GPU, 3, 1.2, 0, 0, 0, 0, 16, 1, 0, 1500, 8, 0, 45_000),
                StageModel.cpu("postprocess", 2, 0, 0.5, 1, 128, 2, 0, 15_000));
        PipelineSpec spec = spec("image-classification", 150, List.of(
                stage("preprocess", StageKind.CPU, limits(1, 8, 500, 4000, 512, 4096), new Allocation(2, 2000, 1024, 1.0)),
                stage("inference", StageKind.GPU, limits(1, 4, 1000, 4000, 2048, 8192), new Allocation(1, 2000, 4096, 1.0)),
                stage("postprocess", StageKind.CPU, limits(1, 8, 250, 2000, 256, 2048), new Allocation(1, 500, 512, 1.0))));
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
                StageModel.cpu("tokenize", 0, 6, 0.7, 1, 256, 10, 10, 20_000),
                new StageModel("bert", StageKind.GPU, 4, 0, 2.5, 0, 0, 0, 32, 1, 0, 2000, 4, 2, 45_000),
                StageModel.cpu("postprocess", 0, 8, 0.8, 1, 256, 20, 10, 20_000));
        PipelineSpec spec = spec("nlp-analysis", 200, List.of(
                stage("tokenize", StageKind.CPU, limits(1, 8, 500, 4000, 512, 4096), new Allocation(1, 1000, 1024, 1.0)),
                stage("bert", StageKind.GPU, limits(1, 4, 1000, 4000, 2048, 8192), new Allocation(1, 2000, 4096, 1.0)),
                stage("postprocess", StageKind.CPU, limits(1, 8, 500, 4000, 512, 4096), new Allocation(2, 1000, 1024, 1.0))));
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
                StageModel.cpu("tokenize", 2, 0.001, 0.5, 1, 256, 5, 0.002, 20_000),
                new StageModel("generate", StageKind.GPU, 15, 0, 0.04, 0, 5, 0.03, 8, 1, 0, 4000, 50, 0.01, 60_000),
                new StageModel("detokenize", StageKind.CPU, 0, 3, 0, 0.05, 0, 0, 1, 1, 0.5, 256, 5, 0, 20_000));
        PipelineSpec spec = spec("text-generation", 4000, List.of(
                stage("tokenize", StageKind.CPU, limits(1, 8, 250, 2000, 512, 2048), new Allocation(1, 500, 512, 1.0)),
                stage("generate", StageKind.GPU, limits(1, 8, 2000, 8000, 8192, 16384), new Allocation(3, 4000, 8192, 1.0)),
                stage("detokenize", StageKind.CPU, limits(1, 8, 250, 2000, 512, 2048), new Allocation(1, 500, 512, 1.0))));
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
                StageModel.cpu("decode", 0, 25, 0.85, 4, 512, 0, 10, 30_000),
                new StageModel("detect", StageKind.GPU, 20, 0, 2, 0, 0, 0, 4, 1, 0, 3000, 0, 2, 60_000),
                StageModel.cpu("aggregate", 0, 15, 0.7, 2, 512, 0, 4, 30_000));
        PipelineSpec spec = spec("video-analysis", 20_000, List.of(
                stage("decode", StageKind.CPU, limits(1, 8, 1000, 8000, 1024, 16384), new Allocation(2, 5000, 6144, 1.0)),
                stage("detect", StageKind.GPU, limits(1, 4, 2000, 8000, 4096, 16384), new Allocation(1, 4000, 8192, 1.0)),
                stage("aggregate", StageKind.CPU, limits(1, 8, 1000, 8000, 1024, 8192), new Allocation(3, 2000, 2048, 1.0))));
        return new AppProfile("video", "Video analysis (multi-frame)", spec, models, new WorkDist(64, 0.5, 8, 300),
                WorkDist.NONE, rate, RateShape.constant(rate), RateShape.ramp(0.4 * rate, 1.8 * rate, 60 * MIN),
                RateShape.burst(0.7 * rate, 2.5 * rate, 10 * MIN, 2 * MIN, 5 * MIN), false);
    }

    static PipelineSpec spec(String name, double slaMs, List<StageSpec> stages) {
        return new PipelineSpec(null, name, stages, slaMs, null, null, null);
    }

    static StageSpec stage(String name, StageKind kind, StageLimits limits, Allocation initial) {
        return new StageSpec(name, kind, null, limits, null, initial);
    }

    static StageLimits limits(int minR, int maxR, int minCpu, int maxCpu, int minMem, int maxMem) {
        return StageLimits.defaults().withReplicas(minR, maxR).withCpu(minCpu, maxCpu).withMemory(minMem, maxMem);
    }
}
