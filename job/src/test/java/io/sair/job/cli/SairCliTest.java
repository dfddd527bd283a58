package io.sair.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.client.JobExecutionException;
import org.junit.jupiter.api.Test;

/** A failed job's one error line names its root cause; a user error's line stays as its message wrote it. */
class SairCliTest {

    @Test
    void aFailedJobNamesItsRootCause() {
        Exception failed = new RuntimeException("wrapped", new JobExecutionException(new JobID(), "Job execution failed.",
                new RuntimeException("task failed", new IllegalStateException("No current assignment for partition p-0\nat ..."))));
        assertThat(SairCli.rootCause(failed)).isEqualTo(" (cause: IllegalStateException: No current assignment for partition p-0)");
    }

    @Test
    void aUserErrorWithACauseKeepsItsLine() {
        assertThat(SairCli.rootCause(new IllegalArgumentException("no savepoint at x", new IOException("gone")))).isEmpty();
        assertThat(SairCli.rootCause(new IllegalArgumentException("no cause"))).isEmpty();
    }
}
