package io.sair.job.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** Keeps the operator tools' output to their result: framework warnings would read as errors of the command. */
final class Logging {

    private Logging() {
    }

    static void quietFrameworks() {
        Configurator.setLevel("org.apache.flink", Level.ERROR);
        Configurator.setLevel("org.apache.kafka", Level.ERROR);
    }

    /** The innermost message of a failure, for one line. */
    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
