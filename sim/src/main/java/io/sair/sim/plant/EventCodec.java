package io.sair.sim.plant;

/**
 * Packs an event into the heap's long payload: 2 bits of type, 8 of stage, 22 of index (a server or a
 * pod) and 32 of generation. An event whose generation no longer matches its server's or pod's is stale
 * (the batch was re-timed, the pod was killed or removed) and is ignored when it comes up.
 */
final class EventCodec {

    /** A server finished its batch; index = server. */
    static final int DONE = 1;
    /** A pod finished starting; index = pod. */
    static final int READY = 2;

    static final int MAX_STAGES = 1 << 8;
    static final int MAX_INDEX = (1 << 22) - 1;

    private EventCodec() {
    }

    static long encode(int type, int stage, int index, int gen) {
        assert type >= 0 && type < 4 && stage >= 0 && stage < MAX_STAGES && index >= 0 && index <= MAX_INDEX;
        return ((long) type << 62) | ((long) stage << 54) | ((long) index << 32) | (gen & 0xFFFFFFFFL);
    }

    static int type(long p) {
        return (int) (p >>> 62);
    }

    static int stage(long p) {
        return (int) ((p >>> 54) & 0xFF);
    }

    static int index(long p) {
        return (int) ((p >>> 32) & 0x3FFFFF);
    }

    static int gen(long p) {
        return (int) p;
    }
}
