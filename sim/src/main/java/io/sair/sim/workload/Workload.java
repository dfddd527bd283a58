package io.sair.sim.workload;

/**
 * A finite stream of requests in arrival order. Generator style, so the simulator's hot loop makes
 * no objects: {@link #advance()} moves to the next request, whose fields are then read.
 */
public interface Workload {

    /** Moves to the next request; false when the stream is exhausted. */
    boolean advance();

    /** Arrival time of the current request, ms of simulated time from the start. */
    double timeMs();

    /** Size units of the current request (meaning depends on the app). */
    double u();

    /** Generated tokens of the current request (0 where unused). */
    double g();

    String describe();
}
