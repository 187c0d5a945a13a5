package org.rcnn4j.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Debian's Chromium, headless, driven through the Chrome DevTools Protocol over the JDK's WebSocket
 * client: one page, commands answered by id ({@link #send}), nothing else installed. Chromium is
 * started with a fresh profile and every background service off, as on a machine without a network,
 * and picks its own debugging port, which it writes to {@code DevToolsActivePort} in the profile.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts Chromium on a blank page of {@code width} × {@code height} CSS pixels and connects to that page. */
    static HeadlessChromium start(Path profile, int width, int height) throws Exception {
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (!process.isAlive()) throw new IllegalStateException("chromium exited with " + process.exitValue());
                if (System.nanoTime() > deadline) throw new IllegalStateException("chromium wrote no DevToolsActivePort in 60 s");
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String pageUrl = null;
            for (JsonNode target : JSON.readTree(list)) {
                if (target.get("type").asText().equals("page")) pageUrl = target.get("webSocketDebuggerUrl").asText();
            }
            if (pageUrl == null) throw new IllegalStateException("chromium has no page target: " + list);
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), listener).get(30, TimeUnit.SECONDS);
            HeadlessChromium chromium = new HeadlessChromium(process, profile, socket);
            listener.owner = chromium;
            return chromium;
        } catch (Exception | Error e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Sends a DevTools command and waits for its result; a protocol error fails. */
    JsonNode send(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(command), true).get(30, TimeUnit.SECONDS);
        JsonNode reply = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) throw new IllegalStateException(method + ": " + reply.get("error"));
        return reply.get("result");
    }

    /** Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value as JSON. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) throw new IllegalStateException(expression + ": " + result.get("exceptionDetails"));
        JsonNode value = result.get("result").get("value");
        return value == null ? JSON.nullNode() : value;
    }

    /** Evaluates {@code expression} every 50 ms until {@code done} holds for its value, at most {@code timeout}. */
    JsonNode waitFor(String expression, Predicate<JsonNode> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode value = evaluate(expression);
            if (done.test(value)) return value;
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting on " + expression + "; last: " + value);
            Thread.sleep(50);
        }
    }

    /** Navigates and waits for the page's load event to have fired. */
    void navigate(URI url) throws Exception {
        send("Page.navigate", Map.of("url", url.toString()));
        waitFor("document.readyState === 'complete' && location.href", v -> v.asText().equals(url.toString()), Duration.ofSeconds(60));
    }

    /** Sets the files of the {@code <input type=file>} that {@code selector} finds, as a user choosing them does (fires {@code change}). */
    void chooseFiles(String selector, List<Path> files) throws Exception {
        int root = send("DOM.getDocument", Map.of()).get("root").get("nodeId").asInt();
        int input = send("DOM.querySelector", Map.of("nodeId", root, "selector", selector)).get("nodeId").asInt();
        if (input == 0) throw new IllegalStateException("no element " + selector);
        send("DOM.setFileInputFiles", Map.of("nodeId", input, "files", files.stream().map(f -> f.toAbsolutePath().normalize().toString()).toList()));
    }

    /**
     * Drops {@code files} on the element {@code selector} finds, as a user dragging them from a file
     * manager does: drag events at the element's centre ({@code dragenter}, {@code dragover}, {@code drop}).
     */
    void dropFiles(String selector, List<Path> files) throws Exception {
        JsonNode centre = evaluate("(() => { const r = document.querySelector('" + selector + "').getBoundingClientRect();"
                + " return [r.left + r.width / 2, r.top + r.height / 2]; })()");
        Map<String, Object> data = Map.of("items", List.of(), "dragOperationsMask", 1,
                "files", files.stream().map(f -> f.toAbsolutePath().normalize().toString()).toList());
        for (String type : List.of("dragEnter", "dragOver", "drop")) {
            send("Input.dispatchDragEvent", Map.of("type", type, "x", centre.get(0).asDouble(), "y", centre.get(1).asDouble(), "data", data));
        }
    }

    /** A PNG screenshot of the page's viewport. */
    byte[] screenshot() throws Exception {
        String data = send("Page.captureScreenshot", Map.of("format", "png")).get("data").asText();
        return java.util.Base64.getDecoder().decode(data);
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Chromium may already be gone; it is stopped below either way.
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // The profile is in the test's temporary folder, which JUnit removes as well.
        }
    }

    /** Collects a message's fragments and completes the command whose id it answers; events are ignored. */
    private static final class Listener implements WebSocket.Listener {
        volatile HeadlessChromium owner;
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    CompletableFuture<JsonNode> answer = message.has("id") ? owner.pending.remove(message.get("id").asInt()) : null;
                    if (answer != null) answer.complete(message);
                } catch (IOException e) {
                    throw new IllegalStateException("a DevTools message is not JSON", e);
                } finally {
                    text.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
