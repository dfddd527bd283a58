package io.sair.core.time;

/**
 * The event time one Kafka partition can vouch for. Reports interleave many pipelines (and each
 * pipeline several stages and pods), so the largest timestamp seen is only as trustworthy as the one
 * report that carried it: a single exporter with a bad clock, or one hand-written record, would move
 * the partition's watermark hours ahead and close every other pipeline's windows early.
 *
 * <p>So the partition's time is the <em>second</em> largest of the largest timestamps of distinct
 * pipelines (one pipeline can never move it alone while another shares the partition), and where
 * only one pipeline has been seen, the second largest of its distinct sources (pipeline, stage, pod):
 * one record cannot move it alone. Both are kept as two leaders, O(1) per report, no maps: a
 * source's maximum only grows, so the runner-up among distinct keys is all that is needed.
 *
 * <p>Never read when nothing has been seen ({@link #time()} is {@link Long#MIN_VALUE} then).
 */
public final class SourceEventTime {

    private final Leaders pipelines = new Leaders();
    private final Leaders sources = new Leaders();

    /** Takes one well-formed report into account. */
    public void observe(String pipeline, String stage, String pod, long ts) {
        long p = hash(FNV_OFFSET, pipeline);
        pipelines.observe(p, ts);
        sources.observe(hash(hash(p, stage), pod), ts);
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;

    /** 64-bit FNV-1a over the chars (keys are compared by hash: a collision only makes this more cautious). */
    private static long hash(long h, String s) {
        for (int i = 0; s != null && i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return (h ^ 0xff) * 0x100000001b3L;
    }

    /** The largest event time the partition vouches for, or {@link Long#MIN_VALUE} before any report. */
    public long time() {
        long bySource = sources.confirmed();
        return pipelines.distinctKeys() ? Math.min(pipelines.confirmed(), bySource) : bySource;
    }

    /** The largest timestamp of one key and the largest of every other key (the runner-up). */
    private static final class Leaders {
        private boolean any;
        private long leader;
        private long top = Long.MIN_VALUE;
        private long runnerUp = Long.MIN_VALUE;

        void observe(long key, long ts) {
            if (!any || key == leader) {
                any = true;
                leader = key;
                top = Math.max(top, ts);
            } else if (ts > top) {
                runnerUp = top;
                leader = key;
                top = ts;
            } else {
                runnerUp = Math.max(runnerUp, ts);
            }
        }

        boolean distinctKeys() {
            return runnerUp != Long.MIN_VALUE;
        }

        /** The runner-up where two keys were seen, else the one key's own maximum. */
        long confirmed() {
            return distinctKeys() ? runnerUp : top;
        }
    }
}
