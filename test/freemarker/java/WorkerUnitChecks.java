import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Unit checks of the worker's request reading (AmplitudeJson, AmplitudeLines, AmplitudeRequest), in the JVM:
 * run by test/freemarker/workerUnits.engine.test.ts against the built jar. Prints one line per check passed and
 * exits 1 at the first that fails, saying what it got.
 */
public final class WorkerUnitChecks {
    private static int passed;

    private static void check(String what, Object expected, Object actual) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            System.out.println("FAIL " + what + ": expected " + expected + " but got " + actual);
            System.exit(1);
        }
        passed++;
        System.out.println("ok " + what);
    }

    private static String malformed(String text) {
        try {
            AmplitudeJson.parse(text);
            return "(parsed)";
        } catch (AmplitudeJson.Malformed e) {
            return e.getMessage();
        }
    }

    private static void json() throws Exception {
        Map<?, ?> value = (Map<?, ?>) AmplitudeJson.parse(" {\"b\": 1, \"a\": [true, false, null], \"b\": 2}\r\n");
        check("keys keep their order, a repeated key its last value", Arrays.asList("b", "a"), Arrays.asList(value.keySet().toArray()));
        check("a repeated key keeps its last value", new BigDecimal("2"), value.get("b"));
        check("literals", Arrays.asList(true, false, null), value.get("a"));
        check("decimals stay exact", new BigDecimal("0.1"), AmplitudeJson.parse("0.1"));
        check("16-digit ids stay exact", new BigDecimal("5012345678901234"), AmplitudeJson.parse("5012345678901234"));
        check("exponents", new BigDecimal("1E+21"), AmplitudeJson.parse("1e21"));
        check("negative zero", new BigDecimal("-0"), AmplitudeJson.parse("-0"));
        check("escapes", "\"\\/\b\f\n\r\t\u00e9", AmplitudeJson.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00E9\""));
        check("a surrogate pair", "\ud83d\ude00", AmplitudeJson.parse("\"\\ud83d\\ude00\""));
        check("a lone surrogate is kept, as JSON.parse keeps it", "\udc00x", AmplitudeJson.parse("\"\\udc00x\""));
        check("an empty object and list", Arrays.asList(0, 0),
            Arrays.asList(((Map<?, ?>) AmplitudeJson.parse("{ }")).size(), ((List<?>) AmplitudeJson.parse("[ ]")).size()));
        String deep = repeat("[", 1000) + repeat("]", 1000);
        check("1000 levels are read", true, AmplitudeJson.parse(deep) instanceof List);
        check("1001 levels are not", true, malformed("[" + deep + "]").contains("nested deeper than 1000 levels"));
        check("an empty line", true, malformed("").contains("the line ends too early at character 1"));
        check("a non-breaking space is not JSON whitespace", true, malformed("\u00a01").contains("unexpected U+00A0"));
        check("true is spelled out", true, malformed("tru").contains("expected true"));
        check("minus alone", true, malformed("-").contains("a number needs a digit"));
        check("a key needs a value", true, malformed("{\"a\"}").contains("expected ':' after a key"));
    }

    private static String repeat(String s, int n) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < n; k++) b.append(s);
        return b.toString();
    }

    private static void lines() throws Exception {
        String long70k = repeat("x", 70_000);
        String input = "a\r\n\n" + long70k + "\n" + repeat("y", 100_001) + "\nb\nlast";
        AmplitudeLines lines = new AmplitudeLines(new StringReader(input), 100_000);
        check("a line (its \\r is JSON whitespace)", "a\r", lines.next());
        check("an empty line", "", lines.next());
        check("a line across the 64K buffer", long70k, lines.next());
        check("a line past the limit", AmplitudeLines.TOO_LONG, lines.next());
        check("the line after it", "b", lines.next());
        check("a last line without a newline", "last", lines.next());
        check("the end", null, lines.next());
        AmplitudeLines exact = new AmplitudeLines(new StringReader(repeat("z", 10) + "\n"), 10);
        check("a line of exactly the limit", repeat("z", 10), exact.next());
    }

    private static void requests() throws Exception {
        AmplitudeRequest request = AmplitudeRequest.of(AmplitudeJson.parse("{\"id\":3,\"op\":\"parse\",\"template\":\"x\"}"));
        check("the id goes back as it came", "3", request.id);
        check("a default name", "template.ftl", request.name);
        check("no key", null, request.key);
        check("no trace", false, request.trace);
        AmplitudeRequest keyed = AmplitudeRequest.of(AmplitudeJson.parse("{\"id\":\"a\\\"b\",\"op\":\"render\",\"key\":7,\"trace\":true,\"data\":null}"));
        check("a string id goes back quoted", "\"a\\\"b\"", keyed.id);
        check("a key", "7", keyed.key);
        check("a trace", true, keyed.trace);
    }

    public static void main(String[] args) throws Exception {
        json();
        lines();
        requests();
        System.out.println("passed " + passed);
    }
}
