package io.sair.sim.plant;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** The {@code latencyHist} wire form: base64 of a compressed HdrHistogram whose values are milliseconds. */
public final class LatencyCodec {

    private LatencyCodec() {
    }

    public static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf, 1);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    }

    /** Decodes a histogram; throws IllegalArgumentException on anything that is not one. */
    public static Histogram decode(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not a base64 compressed HdrHistogram: " + e.getMessage(), e);
        }
    }

    /** A histogram for milliseconds from 1 ms, growing as needed, 2 significant digits. */
    public static Histogram newMillis() {
        Histogram h = new Histogram(2);
        h.setAutoResize(true);
        return h;
    }

    public static long toMillisValue(double ms) {
        return Math.max(1L, Math.round(ms));
    }
}
