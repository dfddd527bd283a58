package io.sair.job;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker for a test class ({@code @RegisterExtension static final}), set up by the
 * given step (topics, specs) before the first test and closed after the last.
 */
public final class KafkaExtension implements BeforeAllCallback, AfterAllCallback {

    /** What to do on the fresh broker. */
    @FunctionalInterface
    public interface Setup {
        void apply(KafkaTestBroker broker) throws Exception;
    }

    private final Setup setup;
    private KafkaTestBroker broker;

    public KafkaExtension(Setup setup) {
        this.setup = setup;
    }

    /** A broker with the job's four topics under each prefix (see {@link JobTestSupport#createTopics}). */
    public static KafkaExtension withTopics(String... prefixes) {
        return new KafkaExtension(b -> {
            for (String p : prefixes) {
                JobTestSupport.createTopics(b, p);
            }
        });
    }

    public KafkaTestBroker broker() {
        return broker;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker = KafkaTestBroker.start();
        setup.apply(broker);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
        }
    }
}
