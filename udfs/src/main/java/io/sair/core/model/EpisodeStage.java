package io.sair.core.model;

/** What one stage looked like when an episode's decision was taken (for the prompt and the report). */
public record EpisodeStage(String stage, StageKind kind, int replicas, int cpuMillis, int memoryMb, double rate,
                           long queueDepth, double cpuUtil, double gpuUtil) {

    public static EpisodeStage of(StageWindow w) {
        Allocation a = w.allocation();
        return new EpisodeStage(w.stage(), w.kind(), a.replicas(), a.cpuMillis(), a.memoryMb(), a.rate(), w.queueDepth(),
                w.cpuUtil(), w.gpuUtil());
    }
}
