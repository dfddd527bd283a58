package io.sair.job.demo;

import io.sair.sim.loop.RunResult;
import java.nio.file.Path;
import java.util.List;

/**
 * What a demo run produced.
 *
 * @param rounds one row per round, read off its decision
 * @param surges every fast-path (surge) decision the plant applied, in order
 * @param staticRun the same workload under static allocation (in-process simulator loop), for its window series
 * @param baselines the production baselines on the same requests, and the best of them
 * @param savepoint the job's savepoint at the end (null when it could not be taken)
 */
public record DemoResult(DemoConfig config, List<RoundRow> rounds, List<SurgeRow> surges, RunFigures sair,
                         RunFigures staticAllocation, RunResult staticRun, Baselines baselines, String savepoint, Path report, double wallSeconds) {
}
