package io.sair.core.memory;

import io.sair.core.model.Experience;
import java.util.Comparator;

/** Episodes shown from lowest to highest reward, so the policy sees a learning progression. */
final class Curriculum {

    static final Comparator<Experience> ORDER =
            Comparator.comparingDouble(Experience::reward).thenComparingLong(Experience::id);

    private Curriculum() {
    }
}
