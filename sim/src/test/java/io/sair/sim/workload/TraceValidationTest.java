package io.sair.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Degenerate traces fail up front with one line naming the row and the problem, before any simulation. */
class TraceValidationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            identical numeric timestamps  | t\\n5\\n5\\n5\\n                                          | x:    | span
            identical date-time timestamps| TIMESTAMP\\n2023-11-16 18:17:03.1\\n2023-11-16 18:17:03.1\\n | x:    | span
            NaN timestamp                 | t\\n0\\n1\\nNaN\\n                                        | x:4:  | timestamp
            Infinity timestamp            | t\\n0\\nInfinity\\n2\\n                                   | x:3:  | timestamp
            1e308 timestamps              | t\\n1e308\\n1e308\\n                                      | x:    | span
            1e308 after 0                 | t\\n0\\n1\\n1e308\\n                                      | x:4:  | timestamp
            -1e308 after 1e308            | t\\n1e308\\n-1e308\\n                                     | x:3:  | timestamp
            timestamps going back         | t\\n0\\n2\\n1\\n                                          | x:4:  | earlier
            negative ContextTokens        | t,c,g\\n0,10,5\\n1,-3,5\\n                                | x:3:  | ContextTokens
            NaN ContextTokens             | t,c,g\\n0,NaN,5\\n1,3,5\\n                                | x:2:  | ContextTokens
            1e308 ContextTokens           | t,c,g\\n0,1e308,5\\n1,3,5\\n                              | x:2:  | ContextTokens
            negative GeneratedTokens      | t,c,g\\n0,10,5\\n1,3,-1\\n                                | x:3:  | GeneratedTokens
            NaN GeneratedTokens           | t,c,g\\n0,10,NaN\\n1,3,5\\n                               | x:2:  | GeneratedTokens
            1e308 GeneratedTokens         | t,c,g\\n0,10,5\\n1,3,1e308\\n                             | x:3:  | GeneratedTokens
            Infinity GeneratedTokens      | t,c,g\\n0,10,5\\n1,3,Infinity\\n                          | x:3:  | GeneratedTokens
            missing column                | t,c,g\\n0,10,5\\n1,3\\n                                   | x:3:  | column
            one request                   | t\\n0\\n                                                  | x:    | two requests
            """)
    void aDegenerateTraceFailsWithOneLineNamingTheRowAndTheProblem(String what, String csv, String where, String problem) {
        IOException e = catchThrowableOfType(() -> Trace.read("x", new StringReader(csv.replace("\\n", "\n"))),
                IOException.class);
        assertThat(e).as(what).isNotNull();
        assertOneLine(e.getMessage());
        assertThat(e.getMessage()).startsWith(where).contains(problem);
    }

    @Test
    void aFileOfRandomBytesSaysItIsNotATextTrace(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[64 * 1024];
        new SplittableRandom(17).nextBytes(bytes);
        Path f = dir.resolve("random.csv");
        Files.write(f, bytes);
        IOException e = catchThrowableOfType(() -> Trace.read(f), IOException.class);
        assertThat(e).isNotNull();
        assertOneLine(e.getMessage());
        assertThat(e.getMessage()).startsWith("random.csv:").contains("UTF-8").doesNotContain("Input length");
    }

    @Test
    void aLineWithoutEndIsCutOffNotReadWhole(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("long.csv");
        Files.writeString(f, "t\n" + "1".repeat(5_000_000));
        IOException e = catchThrowableOfType(() -> Trace.read(f), IOException.class);
        assertThat(e).isNotNull();
        assertOneLine(e.getMessage());
        assertThat(e.getMessage()).startsWith("long.csv:2:").contains("longer than");
    }

    @Test
    void controlCharactersInARowAreNotEchoed() {
        IOException e = catchThrowableOfType(() -> Trace.read("x", new StringReader("t\n0\n1\u001b[2J\r\u0000zz\n")),
                IOException.class);
        assertThat(e).isNotNull();
        assertOneLine(e.getMessage());
        assertThat(e.getMessage()).startsWith("x:3:").doesNotContain("\u001b", "\u0000", "\r");
    }

    @Test
    void equalTimestampsWithinATraceThatSpansTimeAreFine() throws Exception {
        Trace t = Trace.read("x", new StringReader("t,c,g\n0,10,1\n0,20,2\n1.5,0,0\n"));
        assertThat(t.offsetsMs()).containsExactly(0, 0, 1500);
        assertThat(t.u()).containsExactly(10, 20, 0);
        assertThat(t.g()).containsExactly(1, 2, 0);
    }

    @Test
    void tokenColumnsUpToTheDocumentedMaximumAreFine() throws Exception {
        String max = Long.toString(Trace.MAX_TOKENS);
        Trace t = Trace.read("x", new StringReader("t,c,g\n0," + max + "," + max + "\n1,1,1\n"));
        assertThat(t.u()[0]).isEqualTo(Trace.MAX_TOKENS);
        assertThatThrownBy(() -> Trace.read("x", new StringReader("t,c,g\n0," + (Trace.MAX_TOKENS + 1) + ",1\n1,1,1\n")))
                .isInstanceOf(IOException.class).hasMessageStartingWith("x:2:").hasMessageContaining("ContextTokens");
    }

    @Test
    void aReplayScaleThatIsNotAPositiveFiniteNumberIsRefused() throws Exception {
        Trace t = Trace.read("x", new StringReader("t\n0\n1\n"));
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new TraceWorkload(t, bad, false, WorkDist.NONE, WorkDist.NONE, 10, 1))
                    .as("scale %s", bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void assertOneLine(String message) {
        assertThat(message).isNotBlank().doesNotContain("\n", "\r");
        assertThat(message.length()).isLessThan(300);
    }
}
