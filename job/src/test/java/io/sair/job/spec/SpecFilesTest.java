package io.sair.job.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sair.core.model.Json;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageSpec;
import io.sair.flink.Parsing;
import io.sair.flink.RawRecord;
import io.sair.sim.AppProfiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec files are checked as the job checks specs; problems name the file and the field. */
class SpecFilesTest {

    static final Path EXAMPLES = Path.of("src/main/resources/examples");
    static final int MAX = 65_536;

    static final String GOOD = """
            name: demo
            slaP99Ms: 150
            stages:
              - {name: pre, kind: cpu}
              - name: model
                kind: gpu
                limits: {minReplicas: 1, maxReplicas: 4}
            """;

    static PipelineSpec yaml(String text) {
        return SpecFiles.parse("spec.yaml", text.getBytes(StandardCharsets.UTF_8), MAX).spec();
    }

    static String problem(String name, String text) {
        try {
            SpecFiles.parse(name, text.getBytes(StandardCharsets.UTF_8), MAX);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + text);
    }

    @ParameterizedTest
    @CsvSource({"image-classification.yaml, image", "nlp-analysis.yaml, nlp", "text-generation.yaml, textgen",
        "video-analysis.yaml, video"})
    void everyExampleIsValidAndDescribesTheSimulatorsApp(String file, String app) {
        PipelineSpec example = SpecFiles.load(EXAMPLES.resolve(file), MAX).spec();
        PipelineSpec sim = AppProfiles.get(app).spec();
        assertThat(example.name()).isEqualTo(sim.name());
        assertThat(example.slaP99Ms()).isEqualTo(sim.slaP99Ms());
        assertThat(example.stages()).hasSameSizeAs(sim.stages());
        for (int i = 0; i < sim.stages().size(); i++) {
            StageSpec e = example.stages().get(i);
            StageSpec s = sim.stages().get(i);
            assertThat(List.of(e.name(), e.kind(), e.limits(), e.gpus(), e.initial()))
                    .as(file + " stage " + i).isEqualTo(List.of(s.name(), s.kind(), s.limits(), s.gpus(), s.initial()));
            assertThat(e.kubernetes().deployment()).isNotBlank();
        }
    }

    @Test
    void yamlAndJsonOfTheSameSpecAreTheSameSpec() throws Exception {
        PipelineSpec fromYaml = yaml(GOOD);
        byte[] json = Json.write(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(GOOD));
        PipelineSpec fromJson = SpecFiles.parse("spec.json", json, MAX).spec();
        assertThat(fromJson).isEqualTo(fromYaml);
        assertThat(fromYaml.stages().get(1).limits().maxReplicas()).isEqualTo(4);
    }

    @Test
    void thePublishedValueIsWhatTheFileSaysAndTheJobReadsTheSameSpec() {
        SpecFiles.LoadedSpec loaded = SpecFiles.parse("spec.yaml", GOOD.getBytes(StandardCharsets.UTF_8), MAX);
        // Defaults stay implicit (a later version's defaults apply), and the job's own parser agrees.
        assertThat(new String(loaded.json(), StandardCharsets.UTF_8)).doesNotContain("epsilon");
        var asJobSeesIt = Parsing.spec(new RawRecord("sair.pipelines", 0, 0, 0, "demo".getBytes(StandardCharsets.UTF_8),
                loaded.json()), MAX);
        assertThat(asJobSeesIt.error()).isNull();
        assertThat(asJobSeesIt.spec()).isEqualTo(loaded.spec());
    }

    /** The CLI and the job accept and reject the same specs: each variant goes through both. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"name\":\"a\",\"slaP99Ms\":100,\"stages\":[{\"name\":\"s\",\"kind\":\"cpu\"}]}",
        "{\"name\":\"a\",\"slaP99Ms\":0,\"stages\":[{\"name\":\"s\",\"kind\":\"cpu\"}]}",
        "{\"name\":\"a b\",\"slaP99Ms\":100,\"stages\":[{\"name\":\"s\",\"kind\":\"cpu\"}]}",
        "{\"name\":\"a\",\"slaP99Ms\":100,\"stages\":[{\"name\":\"s\",\"kind\":\"tpu\"}]}",
        "{\"name\":\"a\",\"slaP99Ms\":100,\"stages\":[{\"name\":\"s\",\"kind\":\"gpu\",\"limits\":{\"maxRate\":1.5}}]}",
        "{\"name\":\"a\",\"slaP99Ms\":100,\"stages\":[{\"name\":\"s\",\"kind\":\"cpu\"}],\"mode\":\"shadow\",\"x\":1}",
        "{\"name\":\"a\",\"slaP99Ms\":100,\"stages\":[{\"name\":\"s\",\"kind\":\"cpu\"}],\"mode\":\"dry\"}",
        "{\"name\":\"a\",\"slaP99Ms\":100,\"stages\":[],\"policy\":{\"selector\":\"llm\"}}",
        "{\"name\":\"a\",\"slaP99Ms\":100,\"stages\":[{\"name\":\"s\",\"kind\":\"cpu\"},{\"name\":\"s\",\"kind\":\"cpu\"}]}",
        "{\"name\":\"a\",\"slaP99Ms\":\"fast\",\"stages\":[{\"name\":\"s\",\"kind\":\"cpu\"}]}"})
    void acceptsAndRejectsExactlyWhatTheJobDoes(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        boolean job = Parsing.spec(new RawRecord("sair.pipelines", 0, 0, 0, null, bytes), MAX).error() == null;
        boolean cli;
        try {
            SpecFiles.parse("spec.json", bytes, MAX);
            cli = true;
        } catch (IllegalArgumentException e) {
            cli = false;
        }
        assertThat(cli).as(json).isEqualTo(job);
    }

    @Test
    void problemsNameTheFileAndTheField() {
        assertThat(problem("s.yaml", GOOD.replace("kind: gpu", "kind: tpu")))
                .isEqualTo("s.yaml: stages[1].kind: unknown stage kind 'tpu' (cpu|gpu)");
        assertThat(problem("s.yaml", GOOD.replace("maxReplicas: 4", "maxReplicas: four")))
                .startsWith("s.yaml: stages[1].limits.maxReplicas: ");
        assertThat(problem("s.yaml", GOOD.replace("maxReplicas: 4", "maxReplicas: 0")))
                .isEqualTo("s.yaml: invalid spec: stages[1].limits: need 0 <= minReplicas <= maxReplicas; "
                        + "stages[1].initial: must lie within the stage's limits");
        assertThat(problem("s.yaml", GOOD.replace("slaP99Ms: 150", "slaP99Ms: -1") + "policy: {episodes: 99}\n"))
                .isEqualTo("s.yaml: invalid spec: slaP99Ms: must be a positive number of milliseconds; "
                        + "policy.episodes: must be in [1, 50]");
        assertThat(problem("s.yaml", GOOD.replace("{name: pre, kind: cpu}", "")))
                .isEqualTo("s.yaml: stages[0]: an empty list item");
        assertThat(problem("s.yaml", GOOD + "    initial: {replicas: 2}\n"))
                .isEqualTo("s.yaml: stages[1].initial.cpuMillis: missing (required)");
        assertThat(problem("s.yaml", GOOD + "mode: dry-run\n"))
                .isEqualTo("s.yaml: mode: unknown mode 'dry-run' (enforce|shadow)");
    }

    @Test
    void badFilesAreOneLineEach() {
        assertThat(problem("s.yaml", "name: [unclosed\nstages: 1\n")).startsWith("s.yaml: not valid YAML: line ");
        assertThat(problem("s.json", "{\"name\": \"a\",}")).startsWith("s.json: not valid JSON: line 1, column ");
        assertThat(problem("s.yaml", "")).isEqualTo("s.yaml: empty, no spec in it");
        assertThat(problem("s.yaml", "# only a comment\n")).isEqualTo("s.yaml: empty, no spec in it");
        assertThat(problem("s.yaml", "- a\n- b\n")).startsWith("s.yaml: a spec is a mapping of fields");
        assertThat(problem("s.yaml", GOOD + "---\n" + GOOD)).isEqualTo("s.yaml: 2 documents; one spec per file");
        // As strict as the job's reader: JSON has no documents, anything after the value is garbage.
        assertThat(problem("s.json", "{\"name\": \"a\"} {\"name\": \"b\"}"))
                .startsWith("s.json: not valid JSON: line 1, column 15: Trailing token");
        assertThat(problem("s.yaml", GOOD + "name: again\n")).startsWith("s.yaml: not valid YAML: ")
                .contains("Duplicate field 'name'");
        assertThat(problem("s.yaml", "name: x\nstages: " + "[".repeat(200) + "]".repeat(200) + "\n"))
                .startsWith("s.yaml: ");
    }

    @Test
    void missingAndUnreadableFiles(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SpecFiles.load(dir.resolve("nope.yaml"), MAX))
                .hasMessage(dir.resolve("nope.yaml") + ": no such file");
        assertThatThrownBy(() -> SpecFiles.load(dir, MAX)).hasMessage(dir + ": not a readable file");
        Path big = Files.writeString(dir.resolve("big.yaml"), GOOD + "padding: \"" + "x".repeat(70_000) + "\"\n");
        assertThatThrownBy(() -> SpecFiles.load(big, MAX)).hasMessageStartingWith(big + ": oversized spec: ");
        Path huge = Files.write(dir.resolve("huge.yaml"), new byte[16 * MAX + 1]);
        assertThatThrownBy(() -> SpecFiles.load(huge, MAX)).hasMessage(huge + ": " + (16 * MAX + 1)
                + " bytes, too large for a spec");
    }
}
