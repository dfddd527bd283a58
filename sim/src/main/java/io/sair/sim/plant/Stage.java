package io.sair.sim.plant;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import java.util.function.IntConsumer;

/**
 * One stage at work: its FIFO queue of requests and its servers taking batches from it (service time per
 * {@link StageModel}), OOM kills, and retargets. The pods are in {@link Pods}, the integrals and cost in
 * {@link StageLedger}, the report period in {@link StageReport}.
 */
final class Stage {

    private final int idx;
    private final PlantContext sim;
    private final StageModel m;
    private final boolean gpu;
    private final boolean inPlace;
    /** Where finished requests go; null at the last stage, where they leave the pipeline. */
    private final Stage next;
    /** Hands a request that leaves the pipeline (completed or failed) back to the plant. */
    private final IntConsumer leave;
    private final IntRing queue = new IntRing(256);
    final Pods pods;
    private final StageLedger ledger;
    private final StageReport report;

    Stage(int idx, PipelineSpec spec, StageModel m, Stage next, PlantContext sim, IntConsumer leave) {
        StageSpec sspec = spec.stages().get(idx);
        this.idx = idx;
        this.sim = sim;
        this.m = m;
        this.gpu = sspec.kind() == StageKind.GPU;
        this.inPlace = sspec.resizesInPlace();
        this.next = next;
        this.leave = leave;
        this.ledger = new StageLedger(sspec, spec.prices());
        this.pods = new Pods(sim, idx, m, ledger, sspec.initial(), gpu);
        this.report = new StageReport(spec.name(), sspec, gpu, next == null, sim.options.sampleLimit());
    }

    void reportLatencies(boolean on) {
        report.latencies = on;
    }

    /** Brings the integrals up to now; called before anything about the stage changes. */
    void touch() {
        ledger.touch(sim.now, pods, sim.tally);
    }

    int queued() {
        return queue.size();
    }

    void enqueue(int r) {
        queue.addLast(r);
        sim.requests.enq[r] = sim.now;
        report.arrival();
    }

    void dispatch() {
        while (pods.idleN > 0 && queue.size() > 0) {
            start(pods.takeIdle());
        }
    }

    /** A DONE event: the server's batch is finished unless the event is stale (re-timed or killed batch). */
    void onDone(int srv, int gen) {
        if (pods.serverGen[srv] == gen && pods.serverN[srv] > 0) {
            complete(srv);
        }
    }

    /** A READY event: the pod takes work unless the event is stale (the pod was killed or removed). */
    void onReady(int pod, int gen) {
        if (pods.isStarting(pod, gen)) {
            pods.becomeReady(pod);
            dispatch();
        }
    }

    private void start(int srv) {
        Pods ps = pods;
        RequestPool req = sim.requests;
        int pod = srv / ps.slots;
        int n = Math.min(ps.batch, queue.size());
        int base = srv * ps.batch;
        double sumWork = 0;
        double maxG = 0;
        double need = 0;
        for (int j = 0; j < n; j++) {
            int r = queue.removeFirst();
            ps.serverReq[base + j] = r;
            double u = req.u[r];
            double g = req.g[r];
            sumWork += m.itemMs() + m.uMs() * u + m.gMs() * g;
            if (g > maxG) {
                maxG = g;
            }
            need += m.wsMb() + m.wsMbPerU() * u;
        }
        ps.serverN[srv] = n;
        report.memoryShare((ps.podMemUsed[pod] + need) / ps.podMem[pod]);
        if (ps.podMemUsed[pod] + need > ps.podMem[pod]) {
            oom(pod, srv);
            return;
        }
        double raw = m.batchMs() + sumWork + m.stepMs() * maxG * (1 + m.stepGrowth() * (n - 1));
        double service;
        if (gpu) {
            service = raw / ps.rate;
        } else {
            service = raw * ps.podSlow[pod];
        }
        ps.podMemUsed[pod] += need;
        ps.memUsed += need;
        ps.serverMem[srv] = need;
        ps.busy++;
        ps.podBusy[pod]++;
        double now = sim.now;
        ps.serverEnd[srv] = now + service;
        sim.events.push(now + service, EventCodec.encode(EventCodec.DONE, idx, srv, ps.serverGen[srv]));
    }

    private void complete(int srv) {
        Pods ps = pods;
        RequestPool req = sim.requests;
        double now = sim.now;
        int pod = srv / ps.slots;
        int n = ps.serverN[srv];
        int base = srv * ps.batch;
        if (next != null) {
            next.touch();
        }
        for (int j = 0; j < n; j++) {
            int r = ps.serverReq[base + j];
            report.served(now - req.enq[r]);
            if (next != null) {
                next.enqueue(r);
            } else {
                double e = now - req.arrive[r];
                report.left(e);
                sim.tally.completed(e, now);
                leave.accept(r);
            }
        }
        ps.serverN[srv] = 0;
        ps.busy--;
        ps.podBusy[pod]--;
        ps.podMemUsed[pod] -= ps.serverMem[srv];
        ps.memUsed -= ps.serverMem[srv];
        ps.serverMem[srv] = 0;
        if (ps.podState[pod] == Pods.DRAINING) {
            if (ps.podBusy[pod] == 0) {
                ps.terminate(pod);
            }
        } else {
            ps.releaseServer(srv);
        }
        dispatch();
        if (next != null) {
            next.dispatch();
        }
    }

    /**
     * OOM: every request the pod holds goes back to the head of the queue (or fails, past the retry limit);
     * the pod restarts. {@code triggering} is the server whose batch did not fit (not yet counted busy), or -1.
     */
    private void oom(int pod, int triggering) {
        Pods ps = pods;
        RequestPool req = sim.requests;
        sim.tally.oomKills++;
        for (int k = 0; k < ps.slots; k++) {
            int srv = pod * ps.slots + k;
            int n = ps.serverN[srv];
            if (n == 0) {
                continue;
            }
            int base = srv * ps.batch;
            for (int j = n - 1; j >= 0; j--) {
                int r = ps.serverReq[base + j];
                if (++req.retries[r] > sim.options.maxRetries()) {
                    sim.tally.failed++;
                    leave.accept(r);
                } else {
                    queue.addFirst(r);
                }
            }
            if (srv != triggering) {
                ps.busy--;
                ps.podBusy[pod]--;
            }
            ps.serverN[srv] = 0;
            ps.serverGen[srv]++;
            ps.serverMem[srv] = 0;
        }
        ps.killed(pod);
        dispatch();
    }

    void retarget(int newReplicas, int newCpu, int newMem, double newRate) {
        touch();
        pods.replicas = Math.max(0, newReplicas);
        if (gpu && Math.abs(newRate - pods.rate) > 1e-12 && newRate > 0) {
            rescale(newRate);
        }
        boolean resized = newCpu != pods.cpu || newMem != pods.mem;
        pods.cpu = newCpu;
        pods.mem = newMem;
        if (resized && inPlace) {
            resizeInPlace();
        }
        pods.reconcile();
        dispatch();
    }

    /** A rate change acts at once: the remaining work of every batch in service is re-timed. */
    private void rescale(double newRate) {
        Pods ps = pods;
        double now = sim.now;
        double f = ps.rate / newRate;
        for (int srv = 0; srv < ps.serverN.length; srv++) {
            if (ps.serverN[srv] > 0) {
                double end = now + (ps.serverEnd[srv] - now) * f;
                ps.serverEnd[srv] = end;
                ps.serverGen[srv]++;
                sim.events.push(end, EventCodec.encode(EventCodec.DONE, idx, srv, ps.serverGen[srv]));
            }
        }
        ps.rate = newRate;
        ledger.refreshCost(ps);
    }

    /** In-place resize (Kubernetes pods/resize): limits change without restarts; a cut below use is an OOM. */
    private void resizeInPlace() {
        Pods ps = pods;
        for (int p = 0; p < ps.podState.length; p++) {
            if (ps.podState[p] == Pods.FREE) {
                continue;
            }
            if (ps.podState[p] == Pods.READY || ps.podState[p] == Pods.DRAINING) {
                ps.memLimit += ps.mem - ps.podMem[p];
            }
            ps.setPodCpu(p, ps.cpu);
            ps.podMem[p] = ps.mem;
            if ((ps.podState[p] == Pods.READY || ps.podState[p] == Pods.DRAINING) && ps.podMemUsed[p] > ps.podMem[p]) {
                oom(p, -1);
            }
        }
        ledger.refreshCost(ps);
    }

    /** Ends the report period: the caller has touched the stage. */
    StageMetrics metrics(long ts) {
        return report.emit(ts, pods, queue.size(), ledger);
    }
}
