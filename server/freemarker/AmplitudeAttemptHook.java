package freemarker.core;

import freemarker.template.Template;

import java.io.Writer;
import java.lang.reflect.Field;
import java.util.function.BiFunction;

/**
 * Lets a traced render see what an #attempt block prints. FreeMarker renders the attempted section into a
 * StringWriter of its own (Environment.visitAttemptRecover) and writes it out in one piece at the end, so the
 * output writer only sees "the #attempt block printed all this". This element stands in front of the attempted
 * section (in AttemptBlock's private field, which is all visitAttemptRecover reads; the tree keeps the section
 * as its child): when a trace is on for this thread, it puts a recording writer in front of that StringWriter
 * for the section's duration (visitAttemptRecover restores the writer after), and otherwise does nothing but
 * visit the section. In package freemarker.core for TemplateElement's package-private API (2.3.28 and 2.3.31).
 */
public final class AmplitudeAttemptHook extends TemplateElement {
    /** Set during a traced render: given the #attempt block and its buffer, the writer the section writes to. */
    public static final ThreadLocal<BiFunction<Object, Writer, Writer>> TRACING = new ThreadLocal<>();
    private static final Field ATTEMPTED = attemptedField();

    private final AttemptBlock block;
    private final TemplateElement section;

    private AmplitudeAttemptHook(AttemptBlock block, TemplateElement section) {
        this.block = block;
        this.section = section;
        setLocation(section.getTemplate(), section, section);
    }

    private static Field attemptedField() {
        try {
            Field field = AttemptBlock.class.getDeclaredField("attemptedSection");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Puts a hook in front of every #attempt's section of the template; a template hooked before is left as is. */
    public static void install(Template template) {
        if (ATTEMPTED != null) install(template.getRootTreeNode());
    }

    private static void install(TemplateElement element) {
        if (element == null) return;
        for (int k = 0; k < element.getChildCount(); k++) install(element.getChild(k));
        if (!(element instanceof AttemptBlock)) return;
        try {
            Object section = ATTEMPTED.get(element);
            if (section instanceof TemplateElement && !(section instanceof AmplitudeAttemptHook)) {
                ATTEMPTED.set(element, new AmplitudeAttemptHook((AttemptBlock) element, (TemplateElement) section));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not hooked: the block's output is traced as one stretch, as without the hook.
        }
    }

    @Override
    TemplateElement[] accept(Environment env) {
        BiFunction<Object, Writer, Writer> tracing = TRACING.get();
        if (tracing != null) env.setOut(tracing.apply(block, env.getOut()));
        return new TemplateElement[] { section };
    }

    @Override
    boolean isShownInStackTrace() {
        return false;
    }

    @Override
    boolean isNestedBlockRepeater() {
        return false;
    }

    @Override
    protected String dump(boolean canonical) {
        return canonical ? section.getCanonicalForm() : getNodeTypeSymbol();
    }

    @Override
    String getNodeTypeSymbol() {
        return "#attempt's section";
    }

    @Override
    int getParameterCount() {
        return 0;
    }

    @Override
    Object getParameterValue(int index) {
        throw new IndexOutOfBoundsException();
    }

    @Override
    ParameterRole getParameterRole(int index) {
        throw new IndexOutOfBoundsException();
    }
}
