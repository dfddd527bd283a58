package io.sair.sim.plant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void everyFieldSurvivesAtItsLimits() {
        int[] stages = {0, 1, EventCodec.MAX_STAGES - 1};
        int[] indices = {0, 7, EventCodec.MAX_INDEX};
        int[] gens = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (int type : new int[] {EventCodec.DONE, EventCodec.READY}) {
            for (int stage : stages) {
                for (int index : indices) {
                    for (int gen : gens) {
                        long p = EventCodec.encode(type, stage, index, gen);
                        assertThat(EventCodec.type(p)).isEqualTo(type);
                        assertThat(EventCodec.stage(p)).isEqualTo(stage);
                        assertThat(EventCodec.index(p)).isEqualTo(index);
                        assertThat(EventCodec.gen(p)).isEqualTo(gen);
                    }
                }
            }
        }
    }

    @Test
    void aNegativeGenerationDoesNotSpillIntoTheOtherFields() {
        long p = EventCodec.encode(EventCodec.DONE, 3, 5, -1);
        assertThat(EventCodec.type(p)).isEqualTo(EventCodec.DONE);
        assertThat(EventCodec.stage(p)).isEqualTo(3);
        assertThat(EventCodec.index(p)).isEqualTo(5);
    }
}
