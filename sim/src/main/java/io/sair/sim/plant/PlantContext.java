package io.sair.sim.plant;

/**
 * What the stages of one plant share: simulated time, the event heap, the requests inside, the run's tally
 * and the options. The plant moves {@link #now} forward; the stages only read it.
 */
final class PlantContext {

    /** Simulated time, ms since the start. */
    double now;
    final EventHeap events = new EventHeap();
    final RequestPool requests = new RequestPool();
    final RunTally tally;
    final PlantOptions options;

    PlantContext(PlantOptions options, double slaMs) {
        this.options = options;
        this.tally = new RunTally(slaMs);
    }
}
