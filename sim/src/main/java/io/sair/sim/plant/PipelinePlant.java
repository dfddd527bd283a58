package io.sair.sim.plant;

import io.sair.core.cost.CostModel;
import io.sair.core.model.Allocation;
import io.sair.core.model.Mode;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import io.sair.sim.workload.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import io.sair.core.window.LatencyHistograms;
import org.HdrHistogram.Histogram;

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
 * <p>Hot loop: events on a primitive heap, requests as indices into primitive arrays, no boxing.
 */
public final class PipelinePlant {

    private static final int TYPE_DONE = 1;
    private static final int TYPE_READY = 2;

    static final byte FREE = 0;
    static final byte STARTING = 1;
    static final byte READY = 2;
    static final byte DRAINING = 3;

    private final PipelineSpec spec;
    private final Stage[] stages;
    private final Workload workload;
    private final PlantOptions options;
    private final double slaMs;
    private final EventHeap heap = new EventHeap();

    // Requests: parallel primitive arrays indexed by a recycled slot.
    private double[] reqArrive = new double[1024];
    private double[] reqEnq = new double[1024];
    private double[] reqU = new double[1024];
    private double[] reqG = new double[1024];
    private byte[] reqRetries = new byte[1024];
    private boolean[] reqLive = new boolean[1024];
    private int[] freeReq = new int[1024];
    private int freeCount;
    private int reqCapacity;

    private double now;
    private double nextArrival;
    private double nextTick;
    private boolean workloadDone;
    private long inFlight;

    private final Totals totals = new Totals();

    public PipelinePlant(PipelineSpec spec, List<StageModel> models, Workload workload, PlantOptions options) {
        if (models.size() != spec.stages().size()) {
            throw new IllegalArgumentException("one StageModel per stage of the spec is needed");
        }
        this.spec = spec;
        this.workload = workload;
        this.options = options;
        this.slaMs = spec.slaP99Ms();
        this.stages = new Stage[models.size()];
        for (int i = 0; i < stages.length; i++) {
            StageSpec s = spec.stages().get(i);
            if (!s.name().equals(models.get(i).name()) || s.kind() != models.get(i).kind()) {
                throw new IllegalArgumentException("StageModel " + models.get(i).name() + " does not match stage " + s.name());
            }
            stages[i] = new Stage(i, s, models.get(i));
        }
        this.nextTick = options.reportPeriodMs();
        pullArrival();
        for (Stage st : stages) {
            // The initial pods are up when the run starts.
            for (int r = 0; r < st.replicas; r++) {
                st.markReady(st.newPod(st.cpu, st.mem));
            }
            st.refreshCost();
        }
    }

    public PipelineSpec spec() {
        return spec;
    }

    /** Simulated time, ms since the start. */
    public double now() {
        return now;
    }

    /** True when the workload has no more requests to send. */
    public boolean arrivalsDone() {
        return workloadDone;
    }

    /** True when every request of the workload has arrived and left (completed or failed). */
    public boolean finished() {
        return workloadDone && inFlight == 0;
    }

    public Totals totals() {
        return totals;
    }

    /** What a stage runs with now (the targets last applied). */
    public Allocation allocation(int stage) {
        Stage s = stages[stage];
        return new Allocation(s.replicas, s.cpu, s.mem, s.rate);
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
        return stages[stage].existingPods();
    }

    /** Pods that take work at a stage. */
    public int readyPods(int stage) {
        return stages[stage].countState(READY);
    }

    public long queueDepth(int stage) {
        return stages[stage].qSize;
    }

    /** Requests inside the pipeline now (queued or in service anywhere); never above the options' maxInFlight. */
    public long inFlight() {
        return inFlight;
    }

    public long oomKills(int stage) {
        return stages[stage].oomKills;
    }

    /**
     * Runs the simulation up to {@code toMs} (ms of simulated time) and returns the StageMetrics of every
     * report period that ended on the way, stages in spec order within a period.
     */
    public List<StageMetrics> advance(long toMs) {
        List<StageMetrics> out = new ArrayList<>();
        while (true) {
            double tE = heap.peekTime();
            double t = Math.min(Math.min(nextArrival, tE), nextTick);
            if (t > toMs) {
                break;
            }
            now = t;
            if (nextTick <= nextArrival && nextTick <= tE) {
                report(out);
                nextTick += options.reportPeriodMs();
            } else if (tE <= nextArrival) {
                long p = heap.peekPayload();
                heap.pop();
                handle(p);
            } else {
                arrive();
            }
        }
        if (toMs > now) {
            now = toMs;
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
        long n = 0;
        for (int r = 0; r < reqCapacity; r++) {
            if (reqLive[r]) {
                totals.e2eMicros.recordValue(Math.max(1L, (long) ((now - reqArrive[r]) * 1000.0)));
                totals.abandoned++;
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
        if (inFlight >= options.maxInFlight()) {
            // The memory bound: a pipeline this far behind refuses the request at the door, as a full
            // queue would, rather than growing without end.
            countArrival();
            totals.dropped++;
            totals.failed++;
            pullArrival();
            return;
        }
        int r = allocRequest();
        reqArrive[r] = now;
        reqU[r] = workload.u();
        reqG[r] = workload.g();
        reqRetries[r] = 0;
        reqLive[r] = true;
        inFlight++;
        countArrival();
        Stage s0 = stages[0];
        s0.touch();
        s0.enqueue(r);
        s0.dispatch();
        pullArrival();
    }

    private void countArrival() {
        totals.arrived++;
        if (totals.arrived == 1) {
            totals.firstArrivalMs = now;
        }
    }

    private void handle(long p) {
        int type = (int) (p >>> 62);
        int stage = (int) ((p >>> 54) & 0xFF);
        int index = (int) ((p >>> 32) & 0x3FFFFF);
        int gen = (int) p;
        Stage s = stages[stage];
        s.touch();
        if (type == TYPE_DONE) {
            if (s.serverGen[index] == gen && s.serverN[index] > 0) {
                s.complete(index);
            }
        } else if (type == TYPE_READY) {
            if (s.podGen[index] == gen && s.podState[index] == STARTING) {
                s.becomeReady(index);
            }
        }
    }

    private static long payload(int type, int stage, int index, int gen) {
        return ((long) type << 62) | ((long) stage << 54) | ((long) index << 32) | (gen & 0xFFFFFFFFL);
    }

    private int allocRequest() {
        if (freeCount > 0) {
            return freeReq[--freeCount];
        }
        if (reqCapacity == reqArrive.length) {
            int n = reqCapacity * 2;
            reqArrive = Arrays.copyOf(reqArrive, n);
            reqEnq = Arrays.copyOf(reqEnq, n);
            reqU = Arrays.copyOf(reqU, n);
            reqG = Arrays.copyOf(reqG, n);
            reqRetries = Arrays.copyOf(reqRetries, n);
            reqLive = Arrays.copyOf(reqLive, n);
            freeReq = Arrays.copyOf(freeReq, n);
        }
        return reqCapacity++;
    }

    private void releaseRequest(int r) {
        reqLive[r] = false;
        freeReq[freeCount++] = r;
        inFlight--;
        if (workloadDone && inFlight == 0) {
            totals.endMs = now;
            for (Stage s : stages) {
                s.touch();
            }
            totals.billableAtEnd = totals.billableDollars;
            totals.effectiveAtEnd = totals.effectiveDollars;
            totals.podMsAtEnd = totals.podMs;
        }
    }

    private void report(List<StageMetrics> out) {
        long ts = options.epochMs() + (long) now;
        for (Stage s : stages) {
            s.touch();
            out.add(s.metrics(ts));
        }
    }

    // ---------------------------------------------------------------- stages

    /** One stage: its pods, servers, queue and the integrals behind its reports. */
    private final class Stage {
        final int idx;
        final StageSpec sspec;
        final StageModel m;
        final boolean gpu;
        final boolean last;
        final boolean inPlace;
        final int slots;
        final int batch;

        // Desired allocation (what the last decision set).
        int replicas;
        int cpu;
        int mem;
        double rate;

        // Pods.
        byte[] podState = new byte[0];
        int[] podCpu = new int[0];
        int[] podMem = new int[0];
        double[] podSlow = new double[0];
        int[] podGen = new int[0];
        int[] podBusy = new int[0];
        double[] podMemUsed = new double[0];
        int surge = -1;

        // Servers: index = pod * slots + k.
        int[] serverN = new int[0];
        int[] serverGen = new int[0];
        int[] serverReq = new int[0];
        double[] serverEnd = new double[0];
        double[] serverMem = new double[0];
        int[] idle = new int[0];
        int idleN;

        // Queue: ring buffer of request indices.
        int[] q = new int[256];
        int qHead;
        int qSize;

        // Time integrals since the last report (busy servers, ready servers, memory) and for the run.
        double lastT;
        int busy;
        int cap;
        double memUsed;
        double memLimit;
        double busyArea;
        double capArea;
        double memArea;
        double memLimArea;
        double memPeak;
        double billPerHour;
        double effPerHour;
        int existing;

        // Report counters.
        long arrivals;
        long completions;
        long oomKills;
        final Histogram lat = LatencyHistograms.empty();
        double[] latSamples = new double[64];
        int latN;
        final Histogram e2e = LatencyHistograms.empty();
        double[] e2eSamples = new double[64];
        int e2eN;

        Stage(int idx, StageSpec sspec, StageModel m) {
            this.idx = idx;
            this.sspec = sspec;
            this.m = m;
            this.gpu = sspec.kind() == StageKind.GPU;
            this.last = idx == spec.stages().size() - 1;
            this.inPlace = sspec.kubernetes() != null && Boolean.TRUE.equals(sspec.kubernetes().inPlaceResize());
            this.slots = m.slots();
            this.batch = m.maxBatch();
            Allocation a = sspec.initial();
            this.replicas = a.replicas();
            this.cpu = a.cpuMillis();
            this.mem = a.memoryMb();
            this.rate = gpu ? a.rate() : 1.0;
        }

        void touch() {
            double dt = now - lastT;
            if (dt > 0) {
                busyArea += busy * dt;
                capArea += cap * dt;
                memArea += memUsed * dt;
                memLimArea += memLimit * dt;
                totals.billableDollars += billPerHour * dt / 3_600_000.0;
                totals.effectiveDollars += effPerHour * dt / 3_600_000.0;
                totals.podMs += existing * dt;
                lastT = now;
            }
        }

        // ---- queue

        void enqueue(int r) {
            if (qSize == q.length) {
                growQueue();
            }
            q[(qHead + qSize) & (q.length - 1)] = r;
            qSize++;
            reqEnq[r] = now;
            arrivals++;
        }

        void pushFront(int r) {
            if (qSize == q.length) {
                growQueue();
            }
            qHead = (qHead - 1) & (q.length - 1);
            q[qHead] = r;
            qSize++;
        }

        int pop() {
            int r = q[qHead];
            qHead = (qHead + 1) & (q.length - 1);
            qSize--;
            return r;
        }

        void growQueue() {
            int[] n = new int[q.length * 2];
            for (int i = 0; i < qSize; i++) {
                n[i] = q[(qHead + i) & (q.length - 1)];
            }
            q = n;
            qHead = 0;
        }

        // ---- service

        void dispatch() {
            while (idleN > 0 && qSize > 0) {
                start(idle[--idleN]);
            }
        }

        private void start(int srv) {
            int pod = srv / slots;
            int n = Math.min(batch, qSize);
            int base = srv * batch;
            double sumWork = 0;
            double maxG = 0;
            double need = 0;
            for (int j = 0; j < n; j++) {
                int r = pop();
                serverReq[base + j] = r;
                double u = reqU[r];
                double g = reqG[r];
                sumWork += m.itemMs() + m.uMs() * u + m.gMs() * g;
                if (g > maxG) {
                    maxG = g;
                }
                need += m.wsMb() + m.wsMbPerU() * u;
            }
            serverN[srv] = n;
            double peak = (podMemUsed[pod] + need) / podMem[pod];
            if (peak > memPeak) {
                memPeak = Math.min(1.0, peak);
            }
            if (podMemUsed[pod] + need > podMem[pod]) {
                oom(pod, srv);
                return;
            }
            double raw = m.batchMs() + sumWork + m.stepMs() * maxG * (1 + m.stepGrowth() * (n - 1));
            double service;
            if (gpu) {
                service = raw / rate;
            } else {
                service = raw * podSlow[pod];
            }
            podMemUsed[pod] += need;
            memUsed += need;
            serverMem[srv] = need;
            busy++;
            podBusy[pod]++;
            serverEnd[srv] = now + service;
            heap.push(now + service, payload(TYPE_DONE, idx, srv, serverGen[srv]));
        }

        void complete(int srv) {
            int pod = srv / slots;
            int n = serverN[srv];
            int base = srv * batch;
            Stage next = last ? null : stages[idx + 1];
            if (next != null) {
                next.touch();
            }
            for (int j = 0; j < n; j++) {
                int r = serverReq[base + j];
                double stageMs = now - reqEnq[r];
                LatencyHistograms.recordMs(lat, stageMs);
                latSamples = add(latSamples, latN++, stageMs);
                completions++;
                if (next != null) {
                    next.enqueue(r);
                } else {
                    double e = now - reqArrive[r];
                    LatencyHistograms.recordMs(e2e, e);
                    e2eSamples = add(e2eSamples, e2eN++, e);
                    totals.record(e, slaMs, now);
                    releaseRequest(r);
                }
            }
            serverN[srv] = 0;
            busy--;
            podBusy[pod]--;
            podMemUsed[pod] -= serverMem[srv];
            memUsed -= serverMem[srv];
            serverMem[srv] = 0;
            if (podState[pod] == DRAINING) {
                if (podBusy[pod] == 0) {
                    terminate(pod);
                }
            } else {
                idle[idleN++] = srv;
            }
            dispatch();
            if (next != null) {
                next.dispatch();
            }
        }

        private double[] add(double[] arr, int i, double v) {
            if (i < arr.length) {
                arr[i] = v;
                return arr;
            }
            if (arr.length > options.sampleLimit()) {
                return arr; // past the limit the period reports a histogram; samples are not needed
            }
            double[] n = Arrays.copyOf(arr, arr.length * 2);
            n[i] = v;
            return n;
        }

        /** OOM: every request the pod holds goes back to the head of the queue; the pod restarts. */
        private void oom(int pod, int triggering) {
            oomKills++;
            totals.oomKills++;
            for (int k = 0; k < slots; k++) {
                int srv = pod * slots + k;
                int n = serverN[srv];
                if (n == 0) {
                    continue;
                }
                int base = srv * batch;
                for (int j = n - 1; j >= 0; j--) {
                    int r = serverReq[base + j];
                    if (++reqRetries[r] > options.maxRetries()) {
                        totals.failed++;
                        releaseRequest(r);
                    } else {
                        pushFront(r);
                    }
                }
                if (srv != triggering) {
                    busy--;
                    podBusy[pod]--;
                }
                serverN[srv] = 0;
                serverGen[srv]++;
                serverMem[srv] = 0;
            }
            memUsed -= podMemUsed[pod];
            removeIdle(pod);
            podMemUsed[pod] = 0;
            if (podState[pod] == DRAINING) {
                terminate(pod);
            } else {
                cap -= slots;
                memLimit -= podMem[pod];
                podState[pod] = STARTING;
                podGen[pod]++;
                heap.push(now + m.startupMs(), payload(TYPE_READY, idx, pod, podGen[pod]));
            }
            dispatch();
        }

        // ---- pods

        int newPod(int podCpuMillis, int podMemMb) {
            int p = -1;
            for (int i = 0; i < podState.length; i++) {
                if (podState[i] == FREE) {
                    p = i;
                    break;
                }
            }
            if (p < 0) {
                p = podState.length;
                growPods(Math.max(4, podState.length * 2));
            }
            podState[p] = STARTING;
            setPodCpu(p, podCpuMillis);
            podMem[p] = podMemMb;
            podGen[p]++;
            podBusy[p] = 0;
            podMemUsed[p] = 0;
            existing++;
            return p;
        }

        /** CPU pods: service time factor of the pod's CPU per server, cached per pod. */
        private void setPodCpu(int p, int millis) {
            podCpu[p] = millis;
            podSlow[p] = m.cpuFactor(millis / (double) slots);
        }

        void startPod() {
            int p = newPod(cpu, mem);
            heap.push(now + m.startupMs(), payload(TYPE_READY, idx, p, podGen[p]));
        }

        private void growPods(int n) {
            int old = podState.length;
            podState = Arrays.copyOf(podState, n);
            podCpu = Arrays.copyOf(podCpu, n);
            podSlow = Arrays.copyOf(podSlow, n);
            podMem = Arrays.copyOf(podMem, n);
            podGen = Arrays.copyOf(podGen, n);
            podBusy = Arrays.copyOf(podBusy, n);
            podMemUsed = Arrays.copyOf(podMemUsed, n);
            serverN = Arrays.copyOf(serverN, n * slots);
            serverGen = Arrays.copyOf(serverGen, n * slots);
            serverEnd = Arrays.copyOf(serverEnd, n * slots);
            serverMem = Arrays.copyOf(serverMem, n * slots);
            serverReq = Arrays.copyOf(serverReq, n * slots * batch);
            idle = Arrays.copyOf(idle, n * slots);
            assert old < n;
        }

        void markReady(int p) {
            podState[p] = READY;
            podMemUsed[p] = m.baseMemMb();
            memUsed += m.baseMemMb();
            memLimit += podMem[p];
            cap += slots;
            for (int k = slots - 1; k >= 0; k--) {
                idle[idleN++] = p * slots + k;
            }
        }

        void becomeReady(int p) {
            markReady(p);
            if (p == surge) {
                surge = -1;
                int old = pickOutdated(READY);
                if (old >= 0) {
                    drain(old);
                }
            }
            reconcile();
            refreshCost();
            dispatch();
        }

        void drain(int p) {
            if (podState[p] == STARTING) {
                terminate(p);
                return;
            }
            podState[p] = DRAINING;
            removeIdle(p);
            if (podBusy[p] == 0) {
                terminate(p);
            }
        }

        void terminate(int p) {
            if (podState[p] == READY || podState[p] == DRAINING) {
                cap -= slots;
                memLimit -= podMem[p];
                memUsed -= podMemUsed[p];
                podMemUsed[p] = 0;
            }
            removeIdle(p);
            podState[p] = FREE;
            podGen[p]++;
            existing--;
            if (p == surge) {
                surge = -1;
            }
            refreshCost();
        }

        private void removeIdle(int p) {
            int w = 0;
            for (int i = 0; i < idleN; i++) {
                if (idle[i] / slots != p) {
                    idle[w++] = idle[i];
                }
            }
            idleN = w;
        }

        boolean outdated(int p) {
            return podCpu[p] != cpu || podMem[p] != mem;
        }

        int pickOutdated(byte state) {
            int best = -1;
            for (int p = 0; p < podState.length; p++) {
                if (podState[p] == state && p != surge && outdated(p)
                        && (best < 0 || podBusy[p] < podBusy[best])) {
                    best = p;
                }
            }
            return best;
        }

        int live() {
            int n = 0;
            for (int p = 0; p < podState.length; p++) {
                if ((podState[p] == STARTING || podState[p] == READY) && p != surge) {
                    n++;
                }
            }
            return n;
        }

        int existingPods() {
            return existing;
        }

        int countState(byte s) {
            int n = 0;
            for (byte b : podState) {
                if (b == s) {
                    n++;
                }
            }
            return n;
        }

        /** Brings the pods towards the desired count and spec: start, remove, or roll one pod. */
        void reconcile() {
            int live = live();
            while (live < replicas) {
                startPod();
                live++;
            }
            while (live > replicas) {
                int p = pickRemoval();
                if (p < 0) {
                    break;
                }
                drain(p);
                live--;
            }
            if (surge < 0) {
                int startingOld = pickOutdated(STARTING);
                if (startingOld >= 0) {
                    // Not serving yet: replace it outright.
                    terminate(startingOld);
                    startPod();
                } else if (pickOutdated(READY) >= 0) {
                    surge = newPod(cpu, mem);
                    heap.push(now + m.startupMs(), payload(TYPE_READY, idx, surge, podGen[surge]));
                }
            }
            refreshCost();
        }

        /** Which pod goes first when scaling in: outdated starting, starting, outdated ready, least busy ready. */
        private int pickRemoval() {
            int p = pickOutdated(STARTING);
            if (p >= 0) {
                return p;
            }
            for (int i = podState.length - 1; i >= 0; i--) {
                if (podState[i] == STARTING && i != surge) {
                    return i;
                }
            }
            p = pickOutdated(READY);
            if (p >= 0) {
                return p;
            }
            int best = -1;
            for (int i = podState.length - 1; i >= 0; i--) {
                if (podState[i] == READY && i != surge && (best < 0 || podBusy[i] < podBusy[best])) {
                    best = i;
                }
            }
            return best;
        }

        void retarget(int newReplicas, int newCpu, int newMem, double newRate) {
            touch();
            replicas = Math.max(0, newReplicas);
            if (gpu && Math.abs(newRate - rate) > 1e-12 && newRate > 0) {
                rescale(newRate);
            }
            boolean resized = newCpu != cpu || newMem != mem;
            cpu = newCpu;
            mem = newMem;
            if (resized && inPlace) {
                resizeInPlace();
            }
            reconcile();
            dispatch();
        }

        /** A rate change acts at once: the remaining work of every batch in service is re-timed. */
        private void rescale(double newRate) {
            double f = rate / newRate;
            for (int srv = 0; srv < serverN.length; srv++) {
                if (serverN[srv] > 0) {
                    double end = now + (serverEnd[srv] - now) * f;
                    serverEnd[srv] = end;
                    serverGen[srv]++;
                    heap.push(end, payload(TYPE_DONE, idx, srv, serverGen[srv]));
                }
            }
            rate = newRate;
            refreshCost();
        }

        /** In-place resize (Kubernetes pods/resize): limits change without restarts; a cut below use is an OOM. */
        private void resizeInPlace() {
            for (int p = 0; p < podState.length; p++) {
                if (podState[p] == FREE) {
                    continue;
                }
                if (podState[p] == READY || podState[p] == DRAINING) {
                    memLimit += mem - podMem[p];
                }
                setPodCpu(p, cpu);
                podMem[p] = mem;
                if ((podState[p] == READY || podState[p] == DRAINING) && podMemUsed[p] > podMem[p]) {
                    oom(p, -1);
                }
            }
            refreshCost();
        }

        void refreshCost() {
            double bill = 0;
            double eff = 0;
            for (int p = 0; p < podState.length; p++) {
                if (podState[p] != FREE) {
                    Allocation a = new Allocation(1, podCpu[p], podMem[p], rate);
                    bill += CostModel.stageBillable(sspec, a, spec.prices());
                    eff += CostModel.stageEffective(sspec, a, spec.prices());
                }
            }
            billPerHour = bill;
            effPerHour = eff;
        }

        // ---- reports

        StageMetrics metrics(long ts) {
            double util = capArea > 0 ? Math.min(1.0, busyArea / capArea) : (qSize > 0 ? 1.0 : 0.0);
            // Memory is reported as the period's peak share of the limit (1.0 when a pod went over it): what a
            // memory recommender needs, and what keeps a memory cut above the working set.
            double memU = Math.max(memPeak, memLimArea > 0 ? memArea / memLimArea : 0.0);
            memPeak = currentMemShare();
            List<Double> latList = null;
            String latHist = null;
            if (latN > 0 && latN <= options.sampleLimit()) {
                latList = boxed(latSamples, latN);
            } else if (latN > 0) {
                latHist = LatencyHistograms.toBase64(lat);
            }
            List<Double> e2eList = null;
            String e2eHist = null;
            if (last) {
                if (e2eN > 0 && e2eN <= options.sampleLimit()) {
                    e2eList = boxed(e2eSamples, e2eN);
                } else if (e2eN > 0) {
                    e2eHist = LatencyHistograms.toBase64(e2e);
                } else {
                    e2eList = List.of();
                }
            }
            StageMetrics sm = new StageMetrics(StageMetrics.VERSION, spec.name(), sspec.name(), null, ts, sspec.kind(),
                    replicas, cpu, mem, gpu ? rate : null, arrivals, completions, (long) qSize,
                    gpu ? null : util, memU, gpu ? util : null, latList == null && latHist == null ? List.of() : latList,
                    latHist, e2eList, e2eHist);
            if (latN > 0) {
                lat.reset();
            }
            if (e2eN > 0) {
                e2e.reset();
            }
            latN = 0;
            e2eN = 0;
            arrivals = 0;
            completions = 0;
            busyArea = 0;
            capArea = 0;
            memArea = 0;
            memLimArea = 0;
            return sm;
        }

        private double currentMemShare() {
            double m = 0;
            for (int p = 0; p < podState.length; p++) {
                if ((podState[p] == READY || podState[p] == DRAINING) && podMem[p] > 0) {
                    m = Math.max(m, podMemUsed[p] / podMem[p]);
                }
            }
            return Math.min(1.0, m);
        }

        private List<Double> boxed(double[] a, int n) {
            Double[] b = new Double[n];
            for (int i = 0; i < n; i++) {
                b[i] = Math.round(a[i] * 100.0) / 100.0;
            }
            return List.of(b);
        }
    }

    /** What a whole run amounts to: every request's end-to-end latency, failures, cost, replica time. */
    public static final class Totals {
        /** End-to-end latencies in microseconds. */
        public final Histogram e2eMicros = new Histogram(3);
        public long arrived;
        public long completed;
        public long failed;
        public long slaViolations;
        public long oomKills;
        /** Arrivals refused because maxInFlight requests were inside; also counted in arrived and failed. */
        public long dropped;
        /** Requests still inside when the run was cut short (their age is in the histogram). */
        public long abandoned;
        public double billableDollars;
        public double effectiveDollars;
        /** Integral of existing pods over simulated time (pod-ms). */
        public double podMs;
        public double firstArrivalMs = Double.NaN;
        public double lastCompletionMs;
        public double endMs = Double.NaN;
        /** Cost and pod time integrated up to the moment the last request left. */
        public double billableAtEnd = Double.NaN;
        public double effectiveAtEnd = Double.NaN;
        public double podMsAtEnd = Double.NaN;

        Totals() {
            e2eMicros.setAutoResize(true);
        }

        void record(double e2eMs, double sla, double now) {
            e2eMicros.recordValue(Math.max(1L, (long) (e2eMs * 1000.0)));
            completed++;
            if (e2eMs > sla) {
                slaViolations++;
            }
            lastCompletionMs = now;
        }
    }
}
