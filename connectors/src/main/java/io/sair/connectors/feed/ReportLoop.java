package io.sair.connectors.feed;

import io.sair.core.model.StageMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a metrics reader at the report cadence and sends what it read. A poll that fails is logged and
 * the loop goes on: the API or broker being away for a while costs those periods, not the reader.
 */
public final class ReportLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ReportLoop.class);

    private final Callable<List<StageMetrics>> reader;
    private final ReportSink sink;

    public ReportLoop(Callable<List<StageMetrics>> reader, ReportSink sink) {
        this.reader = reader;
        this.sink = sink;
    }

    /** One poll: the reports sent (none when the poll failed). */
    public List<StageMetrics> pollOnce() {
        List<StageMetrics> reports;
        try {
            reports = reader.call();
        } catch (Exception e) {
            LOG.warn("reading metrics failed, this period is skipped: {}", e.toString());
            return List.of();
        }
        reports.forEach(sink::send);
        return reports;
    }

    /**
     * Polls every {@code period} until interrupted, or {@code polls} times when that is positive. The next
     * poll is due a period after the previous one was due, so a slow poll does not drift the cadence.
     */
    public void run(Duration period, int polls) throws InterruptedException {
        long next = System.nanoTime();
        for (int i = 0; polls <= 0 || i < polls; i++) {
            pollOnce();
            if (polls > 0 && i == polls - 1) {
                break;
            }
            next += period.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } else {
                next = System.nanoTime(); // far behind: start afresh rather than poll in a burst
            }
        }
    }
}
