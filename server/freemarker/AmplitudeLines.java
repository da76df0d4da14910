import java.io.IOException;
import java.io.Reader;

/**
 * The request lines of stdin, each at most {@code limit} characters: a longer line is read to its end and
 * dropped, never held, and reported as {@link #TOO_LONG}, so a huge line cannot fill the worker's heap.
 */
final class AmplitudeLines {
    /** Returned for a line past the limit (compared by identity). */
    static final String TOO_LONG = new String("(too long)");

    private final Reader in;
    private final int limit;
    private final char[] buffer = new char[64 * 1024];
    private int pos;
    private int end;

    AmplitudeLines(Reader in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** The next line without its newline, {@link #TOO_LONG} for one past the limit, null at the end of input. */
    String next() throws IOException {
        StringBuilder line = new StringBuilder();
        boolean tooLong = false;
        while (true) {
            if (pos == end) {
                end = Math.max(in.read(buffer, 0, buffer.length), 0);
                pos = 0;
                if (end == 0) return tooLong ? TOO_LONG : line.length() > 0 ? line.toString() : null;
            }
            int start = pos;
            while (pos < end && buffer[pos] != '\n') pos++;
            if (!tooLong && line.length() + (pos - start) > limit) {
                tooLong = true;
                line = new StringBuilder();
            }
            if (!tooLong) line.append(buffer, start, pos - start);
            if (pos < end) {
                pos++;
                return tooLong ? TOO_LONG : line.toString();
            }
        }
    }

    /** Whether another line has (at least partly) arrived: answers are flushed once none waits. */
    boolean ready() throws IOException {
        return pos < end || in.ready();
    }
}
