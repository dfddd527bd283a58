package io.sair.job.demo;

import io.sair.sim.loop.RunResult;

/**
 * One production baseline on the demo's requests.
 *
 * @param setting its setting, as the bench labels it ("target 70% panic 200%", "default")
 * @param run the in-process loop's result, for its window series
 */
public record BaselineRun(String name, String setting, RunFigures figures, RunResult run) {

    public boolean slaMet(double slaMs) {
        return figures.p99Ms() <= slaMs;
    }
}
