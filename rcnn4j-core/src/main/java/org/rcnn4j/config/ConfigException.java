package org.rcnn4j.config;

/**
 * A config value out of its range, naming the field by its path in the config's JSON
 * ({@code rpn.nms}, {@code roi.pooler}), so that a config file's reader can report the file and the
 * field in one line.
 */
public final class ConfigException extends IllegalArgumentException {
    private final String field;

    /**
     * @param field   the field's path, dot-separated
     * @param problem what is wrong, without the field's name
     */
    public ConfigException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The field's path, dot-separated. */
    public String field() {
        return field;
    }

    /** The message without the field. */
    public String problem() {
        return getMessage().substring(field.length() + 2);
    }

    /** Throws a {@code ConfigException} on {@code field} unless {@code ok}. */
    public static void require(boolean ok, String field, String problem) {
        if (!ok) throw new ConfigException(field, problem);
    }

    /**
     * {@code section}, which must be present.
     *
     * @throws ConfigException "missing" on {@code field} when it is null
     */
    public static <T> T present(T section, String field) {
        require(section != null, field, "missing");
        return section;
    }

    /** {@code prefix.name}, or {@code name} without a prefix. */
    static String path(String prefix, String name) {
        return prefix == null || prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** Requires {@code lo < value ≤ hi}, or {@code lo ≤ value ≤ hi} with {@code closed}. */
    static void inRange(double value, double lo, double hi, boolean closed, String prefix, String name) {
        boolean ok = (closed ? value >= lo : value > lo) && value <= hi;
        require(ok, path(prefix, name), "must be in " + (closed ? "[" : "(") + fmt(lo) + ", " + fmt(hi) + "], got " + fmt(value));
    }

    /** Requires {@code value ≥ min}. */
    static void atLeast(double value, double min, String prefix, String name) {
        require(value >= min, path(prefix, name), "must be at least " + fmt(min) + ", got " + fmt(value));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
