package org.rcnn4j.cli.serve;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The web page served at {@code /}: static files under a classpath folder ({@link #ROOT}), so that
 * the page ships in the jar beside the server and needs no directory at run time. {@code /} and a
 * path ending in {@code /} serve that folder's {@code index.html}. Without the files every page path
 * is a 404.
 *
 * <p>Only files of the types in {@link #TYPES} are served, never a folder, and a path with
 * {@code ..}, a backslash or an empty segment is not looked up at all.
 */
final class StaticPage {
    /** The classpath folder of the page's files. */
    static final String ROOT = "org/rcnn4j/serve/page/";

    /** Content types by file extension: the kinds of file the page has. */
    static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    /** A file of the page: its content type and bytes. */
    record File(String contentType, byte[] bytes) {}

    private final ClassLoader loader;
    private final String root;

    /** @param root a classpath folder, ending in {@code /} */
    StaticPage(ClassLoader loader, String root) {
        this.loader = loader;
        this.root = root;
    }

    /** The file served at {@code path} (the request's decoded path), or empty. */
    Optional<File> find(String path) throws IOException {
        if (path == null || !path.startsWith("/") || path.contains("\\") || path.contains("//")) return Optional.empty();
        String name = path.endsWith("/") ? path.substring(1) + "index.html" : path.substring(1);
        for (String segment : name.split("/")) if (segment.equals("..") || segment.equals(".")) return Optional.empty();
        int dot = name.lastIndexOf('.');
        String type = dot < 0 || name.lastIndexOf('/') > dot ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) return Optional.empty();
        try (InputStream in = loader.getResourceAsStream(root + name)) {
            return in == null ? Optional.empty() : Optional.of(new File(type, in.readAllBytes()));
        }
    }
}
