package io.sair.sim.plant;

import io.sair.core.model.Allocation;
import java.util.Arrays;

/**
 * One stage's pods, as a Deployment keeps them: the desired spec, the pods with their servers, and the
 * lifecycle that moves the pods towards the spec (start, ready, drain, terminate, one surge pod at a time
 * for a roll). Pods and servers are indices into primitive arrays (server = pod * slots + k), read and
 * written in place by the stage's service code; the sums the ledger integrates are kept here as they change.
 */
final class Pods {

    static final byte FREE = 0;
    static final byte STARTING = 1;
    static final byte READY = 2;
    static final byte DRAINING = 3;

    private final PlantContext sim;
    private final int stage;
    private final StageModel m;
    private final StageLedger ledger;
    final int slots;
    final int batch;

    // Desired allocation (what the last decision set).
    int replicas;
    int cpu;
    int mem;
    double rate;

    // Per pod.
    byte[] podState = new byte[0];
    int[] podCpu = new int[0];
    int[] podMem = new int[0];
    double[] podSlow = new double[0];
    int[] podGen = new int[0];
    int[] podBusy = new int[0];
    double[] podMemUsed = new double[0];
    /** The new pod of a roll in progress, or -1. */
    int surge = -1;

    // Per server: the batch it holds, its generation (stale DONE events), when it ends, its memory.
    int[] serverN = new int[0];
    int[] serverGen = new int[0];
    int[] serverReq = new int[0];
    double[] serverEnd = new double[0];
    double[] serverMem = new double[0];
    int[] idle = new int[0];
    int idleN;

    // Sums over the pods, integrated by the ledger: busy and ready servers, memory used and limits, pods billed.
    int busy;
    int cap;
    double memUsed;
    double memLimit;
    int existing;
    long oomKills;

    Pods(PlantContext sim, int stage, StageModel m, StageLedger ledger, Allocation initial, boolean gpu) {
        this.sim = sim;
        this.stage = stage;
        this.m = m;
        this.ledger = ledger;
        this.slots = m.slots();
        this.batch = m.maxBatch();
        this.replicas = initial.replicas();
        this.cpu = initial.cpuMillis();
        this.mem = initial.memoryMb();
        this.rate = gpu ? initial.rate() : 1.0;
    }

    /** The initial pods are up when the run starts. */
    void startInitial() {
        for (int r = 0; r < replicas; r++) {
            markReady(newPod(cpu, mem));
        }
        ledger.refreshCost(this);
    }

    /** An idle server of a ready pod, or -1. */
    int takeIdle() {
        return idleN > 0 ? idle[--idleN] : -1;
    }

    void releaseServer(int srv) {
        idle[idleN++] = srv;
    }

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
    void setPodCpu(int p, int millis) {
        podCpu[p] = millis;
        podSlow[p] = m.cpuFactor(millis / (double) slots);
    }

    private void startPod() {
        int p = newPod(cpu, mem);
        scheduleReady(p);
    }

    private void scheduleReady(int p) {
        sim.events.push(sim.now + m.startupMs(), EventCodec.encode(EventCodec.READY, stage, p, podGen[p]));
    }

    private void growPods(int n) {
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
    }

    private void markReady(int p) {
        podState[p] = READY;
        podMemUsed[p] = m.baseMemMb();
        memUsed += m.baseMemMb();
        memLimit += podMem[p];
        cap += slots;
        for (int k = slots - 1; k >= 0; k--) {
            idle[idleN++] = p * slots + k;
        }
    }

    /** Whether a READY event is current: the pod has not been killed, removed or reused since it was sent. */
    boolean isStarting(int p, int gen) {
        return podGen[p] == gen && podState[p] == STARTING;
    }

    /** The pod takes work; a surge pod's arrival drains one outdated pod, and the roll goes on. */
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
        ledger.refreshCost(this);
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
        ledger.refreshCost(this);
    }

    /**
     * The pod side of an OOM kill, once the stage has taken its requests back: a draining pod is gone, any
     * other restarts and takes work again after the start-up delay.
     */
    void killed(int p) {
        oomKills++;
        memUsed -= podMemUsed[p];
        removeIdle(p);
        podMemUsed[p] = 0;
        if (podState[p] == DRAINING) {
            terminate(p);
        } else {
            cap -= slots;
            memLimit -= podMem[p];
            podState[p] = STARTING;
            podGen[p]++;
            scheduleReady(p);
        }
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

    private boolean outdated(int p) {
        return podCpu[p] != cpu || podMem[p] != mem;
    }

    private int pickOutdated(byte state) {
        int best = -1;
        for (int p = 0; p < podState.length; p++) {
            if (podState[p] == state && p != surge && outdated(p)
                    && (best < 0 || podBusy[p] < podBusy[best])) {
                best = p;
            }
        }
        return best;
    }

    private int live() {
        int n = 0;
        for (int p = 0; p < podState.length; p++) {
            if ((podState[p] == STARTING || podState[p] == READY) && p != surge) {
                n++;
            }
        }
        return n;
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
                scheduleReady(surge);
            }
        }
        ledger.refreshCost(this);
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

    /** The highest share of its memory limit that a serving pod uses now. */
    double currentMemShare() {
        double share = 0;
        for (int p = 0; p < podState.length; p++) {
            if ((podState[p] == READY || podState[p] == DRAINING) && podMem[p] > 0) {
                share = Math.max(share, podMemUsed[p] / podMem[p]);
            }
        }
        return Math.min(1.0, share);
    }
}
