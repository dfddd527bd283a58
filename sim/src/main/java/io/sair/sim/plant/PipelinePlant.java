package io.sair.sim.plant;

import io.sair.core.model.Allocation;
import io.sair.core.model.Mode;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import io.sair.sim.workload.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated pipeline (the plant): a discrete-event simulation of stages joined by FIFO queues.
 * Step it with {@link #advance(long)}, which returns the StageMetrics reported on the way, and change
 * it with {@link #apply(List)}; the same two calls serve an in-process controller and a Kafka bridge.
 *
 * <p>Per stage: replicas are pods with {@code slots} servers each behind one FIFO queue; a free server
 * takes a batch of up to {@code maxBatch} waiting requests (see {@link StageModel} for the service
 * time). New pods take work after the start-up delay; a CPU/memory change rolls the pods (one surge
 * pod at a time, the old pod drained when the new one is ready) unless the stage's KubeTarget enables
 * in-place resize; a GPU rate change acts at once, also on work in service; removed pods finish what
 * they hold. A pod whose in-flight working sets exceed its memory limit is OOM-killed: its requests
 * go back to the head of the queue and it restarts after the start-up delay. Pods are billed from
 * creation to termination. At most {@link PlantOptions#maxInFlight()} requests are inside at once; later
 * arrivals are dropped and counted as failed, so that no workload can exhaust the heap.
 *
 * <p>Hot loop: events on a primitive heap ({@link EventHeap}, {@link EventCodec}), requests as indices into
 * primitive arrays ({@link RequestPool}, {@link IntRing}), no boxing. This class runs the clock and routes
 * events; each {@link Stage} serves its queue with its {@link Pods}, {@link StageLedger} and {@link StageReport}.
 */
public final class PipelinePlant {

    private final PipelineSpec spec;
    private final Stage[] stages;
    private final Workload workload;
    private final PlantContext sim;

    private double nextArrival;
    private double nextTick;
    private boolean workloadDone;

    public PipelinePlant(PipelineSpec spec, List<StageModel> models, Workload workload, PlantOptions options) {
        if (models.size() != spec.stages().size()) {
            throw new IllegalArgumentException("one StageModel per stage of the spec is needed");
        }
        if (models.size() > EventCodec.MAX_STAGES) {
            throw new IllegalArgumentException("at most " + EventCodec.MAX_STAGES + " stages, got " + models.size());
        }
        this.spec = spec;
        this.workload = workload;
        this.sim = new PlantContext(options, spec.slaP99Ms());
        this.stages = new Stage[models.size()];
        // Built from the last stage back, so that each stage knows where its finished requests go.
        for (int i = stages.length - 1; i >= 0; i--) {
            StageSpec s = spec.stages().get(i);
            if (!s.name().equals(models.get(i).name()) || s.kind() != models.get(i).kind()) {
                throw new IllegalArgumentException("StageModel " + models.get(i).name() + " does not match stage " + s.name());
            }
            Stage next = i + 1 < stages.length ? stages[i + 1] : null;
            stages[i] = new Stage(i, spec, models.get(i), next, sim, this::release);
        }
        this.nextTick = options.reportPeriodMs();
        pullArrival();
        for (Stage st : stages) {
            st.pods.startInitial();
        }
    }

    public PipelineSpec spec() {
        return spec;
    }

    /**
     * Whether the reports carry latencies (the default). A controller that reads no window (the hindsight oracle)
     * turns them off: collecting every request's latencies at every stage, to be thrown away, was about a sixth of
     * its run. The run's own latencies (its p99 and SLA share) are kept either way.
     */
    public void reportLatencies(boolean on) {
        for (Stage s : stages) {
            s.reportLatencies(on);
        }
    }

    /** Simulated time, ms since the start. */
    public double now() {
        return sim.now;
    }

    /** True when the workload has no more requests to send. */
    public boolean arrivalsDone() {
        return workloadDone;
    }

    /** True when every request of the workload has arrived and left (completed or failed). */
    public boolean finished() {
        return workloadDone && sim.requests.inFlight() == 0;
    }

    /** The run so far, as of now. */
    public Totals totals() {
        return sim.tally.totals(sim.now);
    }

    /** What a stage runs with now (the targets last applied). */
    public Allocation allocation(int stage) {
        Pods p = stages[stage].pods;
        return new Allocation(p.replicas, p.cpu, p.mem, p.rate);
    }

    public List<Allocation> allocations() {
        List<Allocation> out = new ArrayList<>(stages.length);
        for (int i = 0; i < stages.length; i++) {
            out.add(allocation(i));
        }
        return out;
    }

    /** Pods that exist at a stage (starting, ready or draining). */
    public int pods(int stage) {
        return stages[stage].pods.existing;
    }

    /** Pods that take work at a stage. */
    public int readyPods(int stage) {
        return stages[stage].pods.countState(Pods.READY);
    }

    public long queueDepth(int stage) {
        return stages[stage].queued();
    }

    /** Requests inside the pipeline now (queued or in service anywhere); never above the options' maxInFlight. */
    public long inFlight() {
        return sim.requests.inFlight();
    }

    public long oomKills(int stage) {
        return stages[stage].pods.oomKills;
    }

    /**
     * Runs the simulation up to {@code toMs} (ms of simulated time) and returns the StageMetrics of every
     * report period that ended on the way, stages in spec order within a period.
     */
    public List<StageMetrics> advance(long toMs) {
        List<StageMetrics> out = new ArrayList<>();
        EventHeap events = sim.events;
        while (true) {
            double tE = events.peekTime();
            double t = Math.min(Math.min(nextArrival, tE), nextTick);
            if (t > toMs) {
                break;
            }
            sim.now = t;
            if (nextTick <= nextArrival && nextTick <= tE) {
                report(out);
                nextTick += sim.options.reportPeriodMs();
            } else if (tE <= nextArrival) {
                long p = events.peekPayload();
                events.pop();
                handle(p);
            } else {
                arrive();
            }
        }
        if (toMs > sim.now) {
            sim.now = toMs;
        }
        return out;
    }

    /** Applies a decision's targets now; a decision in shadow mode changes nothing. */
    public void apply(ScalingDecision d) {
        if (d.mode() == Mode.ENFORCE) {
            apply(d.stages());
        }
    }

    /** Applies absolute targets (stages not named keep what they run). */
    public void apply(List<StageTarget> targets) {
        for (StageTarget t : targets) {
            int i = spec.indexOf(t.stage());
            if (i < 0) {
                continue;
            }
            stages[i].retarget(t.replicas(), t.cpuMillis(), t.memoryMb(), t.rate());
        }
    }

    /**
     * Ends a run that is cut short: every request still inside has its age so far recorded as its
     * end-to-end latency (a lower bound) and counted as an SLA violation; returns how many there were.
     */
    public long abandonInFlight() {
        RequestPool req = sim.requests;
        long n = 0;
        for (int r = 0; r < req.capacity(); r++) {
            if (req.live[r]) {
                sim.tally.abandoned(sim.now - req.arrive[r]);
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- events

    private void pullArrival() {
        if (workload.advance()) {
            nextArrival = workload.timeMs();
        } else {
            nextArrival = Double.POSITIVE_INFINITY;
            workloadDone = true;
        }
    }

    private void arrive() {
        if (sim.requests.inFlight() >= sim.options.maxInFlight()) {
            // The memory bound: a pipeline this far behind refuses the request at the door, as a full
            // queue would, rather than growing without end.
            sim.tally.arrival(sim.now);
            sim.tally.dropped++;
            sim.tally.failed++;
            pullArrival();
            return;
        }
        int r = sim.requests.admit(sim.now, workload.u(), workload.g());
        sim.tally.arrival(sim.now);
        Stage s0 = stages[0];
        s0.touch();
        s0.enqueue(r);
        s0.dispatch();
        pullArrival();
    }

    private void handle(long p) {
        Stage s = stages[EventCodec.stage(p)];
        s.touch();
        int type = EventCodec.type(p);
        if (type == EventCodec.DONE) {
            s.onDone(EventCodec.index(p), EventCodec.gen(p));
        } else if (type == EventCodec.READY) {
            s.onReady(EventCodec.index(p), EventCodec.gen(p));
        }
    }

    /** A request leaves the pipeline; with the last one, the run's end and its spend until then are fixed. */
    private void release(int r) {
        sim.requests.release(r);
        if (workloadDone && sim.requests.inFlight() == 0) {
            for (Stage s : stages) {
                s.touch();
            }
            sim.tally.ended(sim.now);
        }
    }

    private void report(List<StageMetrics> out) {
        long ts = sim.options.epochMs() + (long) sim.now;
        for (Stage s : stages) {
            s.touch();
            out.add(s.metrics(ts));
        }
    }
}
