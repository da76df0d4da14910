import freemarker.template.Configuration;
import java.util.Set;

/**
 * Prints, as one line of JSON, what the FreeMarker jar on the class path supports: its version, its built-in names
 * and its directive names (both in the legacy snake_case convention templates use). Run by scripts/builtins.ts and by
 * test/ftl/builtins.engine.test.ts: `java -cp freemarker.jar scripts/FreemarkerNames.java`.
 */
public final class FreemarkerNames {
    private static String list(Set<String> names) {
        StringBuilder out = new StringBuilder("[");
        for (String name : names) out.append(out.length() > 1 ? "," : "").append('"').append(name).append('"');
        return out.append(']').toString();
    }

    public static void main(String[] args) {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_0);
        int legacy = Configuration.LEGACY_NAMING_CONVENTION;
        System.out.println("{\"version\":\"" + Configuration.getVersion() + "\",\"builtIns\":"
            + list(cfg.getSupportedBuiltInNames(legacy)) + ",\"directives\":"
            + list(cfg.getSupportedBuiltInDirectiveNames(legacy)) + "}");
    }
}
