package io.sair.connectors.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Json;
import io.sair.core.model.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Actuator} promises, run by each implementation's subclass against its real backend
 * (fabric8's CRUD mock server, a loopback GPU agent): the result names the actuator and the decision and
 * carries the worst step's outcome; shadow mode, by the decision or by the spec, writes nothing; a replay
 * leaves the world as the first apply left it; what is not this actuator's is not touched; and an
 * unreachable backend is reported in the result, never thrown.
 */
public abstract class ActuatorContract {

    /** An actuator wired to a working backend. */
    protected abstract Actuator actuator();

    /** An actuator whose backend does not listen. */
    protected abstract Actuator unreachable() throws Exception;

    /** A decision with one change this actuator makes, in the decision's and the spec's mode. */
    protected abstract ActuationRequest change(Mode decisionMode, Mode specMode);

    /** A decision whose changes are all for other actuators. */
    protected abstract ActuationRequest notMine();

    /** What the backend holds now, of what this actuator writes (compared with equals). */
    protected abstract Object world();

    @Test
    public void appliesTheChangeAndNamesTheActuatorAndTheDecision() {
        ActuationRequest req = change(Mode.ENFORCE, Mode.ENFORCE);
        Object before = world();
        ActuationResult r;
        try (Actuator a = actuator()) {
            r = a.apply(req);
            assertThat(r.actuator()).isEqualTo(a.name()).isNotBlank();
        }

        assertConsistent(r, req);
        assertThat(r.outcome()).as(Json.writeString(r)).isEqualTo(Outcome.APPLIED);
        assertThat(r.steps()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(s.wanted()).isNotBlank();
            assertThat(s.attempts()).isPositive();
            assertThat(s.error()).isNull();
        });
        assertThat(world()).isNotEqualTo(before);
    }

    @Test
    public void shadowModeByTheDecisionOrByTheSpecWritesNothing() {
        Object before = world();
        for (ActuationRequest req : List.of(change(Mode.SHADOW, Mode.ENFORCE), change(Mode.ENFORCE, Mode.SHADOW))) {
            ActuationResult r;
            try (Actuator a = actuator()) {
                r = a.apply(req);
            }

            assertConsistent(r, req);
            assertThat(r.outcome()).as(Json.writeString(r)).isEqualTo(Outcome.SHADOW);
            assertThat(r.steps()).isNotEmpty().allSatisfy(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.SHADOW);
                assertThat(s.wanted()).isNotBlank();
                assertThat(s.attempts()).isZero();
            });
            assertThat(world()).isEqualTo(before);
        }
    }

    @Test
    public void aReplayedDecisionLeavesTheWorldAsTheFirstApplyLeftIt() {
        ActuationRequest req = change(Mode.ENFORCE, Mode.ENFORCE);
        try (Actuator a = actuator()) {
            assertThat(a.apply(req).outcome()).isEqualTo(Outcome.APPLIED);
            Object afterFirst = world();

            ActuationResult again = a.apply(req);

            assertConsistent(again, req);
            assertThat(again.outcome()).as(Json.writeString(again)).isIn(Outcome.APPLIED, Outcome.UNCHANGED);
            assertThat(world()).isEqualTo(afterFirst);
        }
    }

    @Test
    public void changesForOtherActuatorsAreLeftAlone() {
        ActuationRequest req = notMine();
        Object before = world();
        ActuationResult r;
        try (Actuator a = actuator()) {
            r = a.apply(req);
        }

        assertConsistent(r, req);
        assertThat(r.steps()).isEmpty();
        assertThat(r.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(world()).isEqualTo(before);
    }

    @Test
    public void anUnreachableBackendIsReportedNotThrown() throws Exception {
        ActuationRequest req = change(Mode.ENFORCE, Mode.ENFORCE);
        Object before = world();
        ActuationResult r;
        try (Actuator a = unreachable()) {
            r = a.apply(req);
        }

        assertConsistent(r, req);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.steps()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(s.error()).isNotBlank();
        });
        assertThat(world()).isEqualTo(before);
    }

    /** Every result: the record type and version, the decision it answers, and the worst step's outcome. */
    private static void assertConsistent(ActuationResult r, ActuationRequest req) {
        assertThat(r.v()).isEqualTo(ActuationResult.VERSION);
        assertThat(r.record()).isEqualTo(ActuationResult.RECORD);
        assertThat(r.decisionId()).isEqualTo(req.decision().decisionId());
        assertThat(r.pipeline()).isEqualTo(req.decision().pipeline());
        assertThat(r.windowEnd()).isEqualTo(req.decision().windowEnd());
        assertThat(r.outcome()).isEqualTo(ActuationResult.worst(r.steps()));
        assertThat(Json.read(Json.write(r), ActuationResult.class)).isEqualTo(r);
    }
}
