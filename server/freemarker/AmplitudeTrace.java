import freemarker.core.AmplitudeAttemptHook;
import freemarker.core.Environment;
import freemarker.core.TemplateObject;
import freemarker.template.Template;

import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What a traced render printed where. For each write to the output: its offsets (Java chars are UTF-16 code
 * units, as JS string indices) and the instruction on top of FreeMarker's instruction stack as it wrote.
 * Environment.visit(TemplateElement) pushes every element it runs (a TextBlock, a DollarVariable, ...) before
 * its accept() writes, so the top is the instruction that printed. The stack is read through reflection (its
 * fields are private in 2.3.28 and 2.3.31 alike). An #attempt block buffers its section's output and writes it
 * in one piece: AmplitudeAttemptHook records the section's writes, and that one piece becomes those stretches.
 * A trace costs nothing when not asked for.
 */
final class AmplitudeTrace implements BiFunction<Object, Writer, Writer> {
    /** Past this many stretches, the rest of the output is one last 'o' stretch: the answer stays bounded. */
    static final int MAX_SPANS = Integer.getInteger("amplitude.maxTraceSpans", 50_000);
    private static final Field STACK = stackField("instructionStack");
    private static final Field SIZE = stackField("instructionStackSize");

    private final Template template;
    private final Spans spans = new Spans();
    /** The recorded section of each #attempt block running or done, until its output is written. */
    private final Map<Object, Recording> attempts = new IdentityHashMap<>();

    AmplitudeTrace(Template template) {
        this.template = template;
        AmplitudeAttemptHook.install(template);
    }

    /** Stretches as [start, end, kind, line, column, end line, end column], seven ints each. */
    static final class Spans {
        private int[] data = new int[7 * 16];
        private int count;

        void add(int start, int end, char kind, int line, int column, int endLine, int endColumn) {
            if (count == MAX_SPANS) {
                int last = 7 * (count - 1);
                data[last + 1] = end;
                data[last + 2] = 'o';
                Arrays.fill(data, last + 3, last + 7, 0);
                return;
            }
            if (data.length < 7 * (count + 1)) data = Arrays.copyOf(data, data.length * 2);
            int k = 7 * count++;
            data[k] = start;
            data[k + 1] = end;
            data[k + 2] = kind;
            data[k + 3] = line;
            data[k + 4] = column;
            data[k + 5] = endLine;
            data[k + 6] = endColumn;
        }

        /** Another's stretches, moved by `shift` (a buffered section written out at `shift`). */
        void addAll(Spans inner, int shift) {
            for (int n = 0; n < inner.count; n++) {
                int[] d = inner.data;
                int k = 7 * n;
                add(d[k] + shift, d[k + 1] + shift, (char) d[k + 2], d[k + 3], d[k + 4], d[k + 5], d[k + 6]);
            }
        }

        /** `[[start,end,"i",line,column,endLine,endColumn],...]` */
        String toJson() {
            StringBuilder json = new StringBuilder(count * 32 + 2).append('[');
            for (int n = 0; n < count; n++) {
                int k = 7 * n;
                if (n > 0) json.append(',');
                json.append('[').append(data[k]).append(',').append(data[k + 1]).append(",\"")
                    .append((char) data[k + 2]).append('"');
                for (int j = 3; j < 7; j++) json.append(',').append(data[k + j]);
                json.append(']');
            }
            return json.append(']').toString();
        }
    }

    /** The writer an #attempt's section writes through, into the block's own buffer, noting what wrote what. */
    static final class Recording extends Writer {
        private final AmplitudeTrace trace;
        private final Writer buffer;
        final Spans spans = new Spans();
        int length;

        Recording(AmplitudeTrace trace, Writer buffer) {
            this.trace = trace;
            this.buffer = buffer;
        }

        @Override public void write(char[] chars, int offset, int count) throws IOException {
            if (count > 0) trace.record(spans, length, length + count);
            length += count;
            buffer.write(chars, offset, count);
        }

        @Override public void write(String text, int offset, int count) throws IOException {
            if (count > 0) trace.record(spans, length, length + count);
            length += count;
            buffer.write(text, offset, count);
        }

        @Override public void flush() throws IOException { buffer.flush(); }
        @Override public void close() throws IOException { buffer.close(); }
    }

    /** For AmplitudeAttemptHook: the section of `block` is starting and writes into `buffer`. */
    @Override public Writer apply(Object block, Writer buffer) {
        Recording recording = new Recording(this, buffer);
        attempts.put(block, recording);
        return recording;
    }

    private static Field stackField(String name) {
        try {
            Field field = Environment.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The instruction running now, or null when the stack cannot be read. */
    private static TemplateObject current() {
        Environment env = Environment.getCurrentEnvironment();
        if (env == null || STACK == null || SIZE == null) return null;
        try {
            int size = SIZE.getInt(env);
            Object[] stack = (Object[]) STACK.get(env);
            return size > 0 ? (TemplateObject) stack[size - 1] : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static char kind(TemplateObject at) {
        String type = at.getClass().getName();
        if (type.equals("freemarker.core.DollarVariable") || type.equals("freemarker.core.NumericalOutput")) return 'i';
        return type.equals("freemarker.core.TextBlock") ? 't' : 'o';
    }

    /** The output writer was written `start` to `end`. */
    void wrote(int start, int end) {
        record(spans, start, end);
    }

    private void record(Spans into, int start, int end) {
        TemplateObject at = current();
        Recording attempt = at == null ? null : attempts.remove(at);
        if (attempt != null && attempt.length == end - start) {
            into.addAll(attempt.spans, start);
        } else if (at == null || at.getTemplate() != template) {
            // An instruction of another template (?interpret) has no place in this one.
            into.add(start, end, 'o', 0, 0, 0, 0);
        } else {
            into.add(start, end, kind(at), at.getBeginLine(), at.getBeginColumn(), at.getEndLine(), at.getEndColumn());
        }
    }

    String toJson() {
        return spans.toJson();
    }
}
