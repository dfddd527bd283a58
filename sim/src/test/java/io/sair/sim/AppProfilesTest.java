package io.sair.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.PolicySettings;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.sim.plant.StageModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each app's pipeline is its example spec file's, and its stage models name every number: the simulator
 * keeps no second copy of a spec.
 */
class AppProfilesTest {

    @Test
    void theSpecIsTheFilesPipelineWithoutItsDeployment() {
        PipelineSpec s = AppProfiles.spec("one-stage-test");

        assertThat(s.name()).isEqualTo("one-stage");
        assertThat(s.slaP99Ms()).isEqualTo(250.0);
        assertThat(s.stages()).singleElement().satisfies(st -> {
            assertThat(st.name()).isEqualTo("only");
            assertThat(st.kind()).isEqualTo(StageKind.GPU);
            assertThat(st.limits().minReplicas()).isEqualTo(2);
            assertThat(st.limits().maxReplicas()).isEqualTo(6);
            assertThat(st.limits().rateStep()).isEqualTo(0.1);
            assertThat(st.initial()).isEqualTo(new Allocation(3, 1500, 2048, 0.5));
            // Where the pods run and how many GPUs they hold is a deployment's.
            assertThat(st.kubernetes()).isNull();
            assertThat(st).isEqualTo(new StageSpec("only", StageKind.GPU, null, st.limits(), null, st.initial()));
        });
        // So are the mode, prices and policy: the simulator's runs choose their own.
        assertThat(s).isEqualTo(new PipelineSpec(null, "one-stage", s.stages(), 250.0, null, null, null));
        assertThat(s.policy()).isEqualTo(PolicySettings.defaults());
    }

    @Test
    void everyAppIsItsExampleFileWithAModelPerStage() {
        List<String> files = List.of("image-classification", "nlp-analysis", "text-generation", "video-analysis");
        for (int i = 0; i < AppProfiles.NAMES.size(); i++) {
            AppProfile app = AppProfiles.get(AppProfiles.NAMES.get(i));
            assertThat(app.spec()).isEqualTo(AppProfiles.spec(files.get(i)));
            assertThat(AppProfiles.get(files.get(i)).name()).isEqualTo(app.name());
            assertThat(app.models()).extracting(StageModel::name)
                    .containsExactlyElementsOf(app.spec().stages().stream().map(StageSpec::name).toList());
            assertThat(app.models()).extracting(StageModel::kind)
                    .containsExactlyElementsOf(app.spec().stages().stream().map(StageSpec::kind).toList());
        }
    }

    @Test
    void aModelNamesItsNumbersAndLeavesTheRestAtZero() {
        StageModel gpu = StageModel.gpu("g").batchMs(3).itemMs(1.2).maxBatch(16).baseMemMb(1500).wsMb(8)
                .startupMs(45_000).build();
        assertThat(gpu).isEqualTo(new StageModel("g", StageKind.GPU, 3, 1.2, 0, 0, 0, 0, 16, 1, 0, 1500, 8, 0, 45_000));

        StageModel cpu = StageModel.cpu("c").uMs(25).alpha(0.85).slots(4).gMs(0.05).build();
        assertThat(cpu).isEqualTo(new StageModel("c", StageKind.CPU, 0, 0, 25, 0.05, 0, 0, 1, 4, 0.85, 0, 0, 0, 0));
    }

    /** A shared-GPU variant is the same app on the same requests, its GPUs billed by share. */
    @Test
    void aSharedVariantRunsItsBaseAppsRequestsWithSharedGpus() {
        AppProfile base = AppProfiles.get("nlp");
        AppProfile shared = AppProfiles.get("nlp-shared");
        assertThat(shared.name()).isEqualTo("nlp-shared");
        assertThat(shared.spec().prices().gpuShared()).isTrue();
        assertThat(base.spec().prices().gpuShared()).isFalse();
        assertThat(shared.spec().stages()).isEqualTo(base.spec().stages());
        io.sair.sim.workload.Workload a = Scenarios.workload(base, "burst", 500, 2, null, 1.0);
        io.sair.sim.workload.Workload b = Scenarios.workload(shared, "burst", 500, 2, null, 1.0);
        while (a.advance()) {
            assertThat(b.advance()).isTrue();
            assertThat(b.timeMs()).isEqualTo(a.timeMs());
            assertThat(b.u()).isEqualTo(a.u());
        }
        assertThat(b.advance()).isFalse();
    }

    /** An in-place variant resizes its CPU stages' pods in place; GPU stages, prices and requests are the base app's. */
    @Test
    void anInPlaceVariantResizesItsCpuStagesInPlaceOnItsBaseAppsRequests() {
        AppProfile base = AppProfiles.get("image");
        AppProfile inPlace = AppProfiles.get("image-shared-inplace");
        assertThat(inPlace.name()).isEqualTo("image-shared-inplace");
        assertThat(inPlace.spec().prices().gpuShared()).isTrue();
        assertThat(inPlace.spec().stages()).hasSameSizeAs(base.spec().stages());
        for (int i = 0; i < base.spec().stages().size(); i++) {
            var b = base.spec().stages().get(i);
            var v = inPlace.spec().stages().get(i);
            assertThat(v.limits()).isEqualTo(b.limits());
            assertThat(v.kubernetes() != null && v.kubernetes().inPlaceResize()).isEqualTo(b.kind() == StageKind.CPU);
        }
        assertThat(AppProfiles.baseName("image-shared-inplace")).isEqualTo("image");
        assertThat(Scenarios.workload(inPlace, "burst", 500, 2, null, 1.0).advance()).isTrue();
    }
}
