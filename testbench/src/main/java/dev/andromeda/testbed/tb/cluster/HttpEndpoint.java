package dev.andromeda.testbed.tb.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A process's small HTTP endpoint: {@code GET /health} ("ok", or 503 and why), {@code GET /metrics}
 * (Prometheus text format), and the few routes a process adds (a host's traffic control for
 * {@code tb cluster}). One thread: requests are rare and short.
 */
public final class HttpEndpoint implements AutoCloseable {
    private final HttpServer server;

    /** A route's answer: status and body. */
    public record Reply(int status, String body) {
        public static Reply ok(String body) {
            return new Reply(200, body);
        }
    }

    private HttpEndpoint(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves on {@code listen}.
     *
     * @param health  null when healthy, else why not
     * @param metrics the metric lines
     * @param routes  more routes: path to handler of (query string, request body)
     * @throws IOException when the address cannot be bound (in use)
     */
    public static HttpEndpoint start(InetSocketAddress listen, Supplier<String> health, Supplier<Metrics> metrics,
                                     Map<String, Function<Request, Reply>> routes) throws IOException {
        HttpServer s = HttpServer.create(listen, 16);
        s.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "http-" + listen.getPort());
            t.setDaemon(true);
            return t;
        }));
        Map<String, Function<Request, Reply>> all = new LinkedHashMap<>(routes);
        all.put("/health", q -> {
            String why = health.get();
            return why == null ? Reply.ok("ok\n") : new Reply(503, why + "\n");
        });
        all.put("/metrics", q -> Reply.ok(metrics.get().text()));
        for (Map.Entry<String, Function<Request, Reply>> e : all.entrySet()) {
            s.createContext(e.getKey(), x -> answer(x, e.getValue()));
        }
        s.start();
        return new HttpEndpoint(s);
    }

    /** What a route gets: the query string (may be empty) and the body. */
    public record Request(String query, byte[] body) {
        /** The value of {@code name=} in the query, or {@code otherwise}. */
        public String param(String name, String otherwise) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && kv.substring(0, eq).equals(name)) {
                    return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return otherwise;
        }
    }

    private static void answer(HttpExchange x, Function<Request, Reply> route) throws IOException {
        Reply r;
        try {
            byte[] body = x.getRequestBody().readAllBytes();
            String q = x.getRequestURI().getRawQuery();
            r = route.apply(new Request(q == null ? "" : q, body));
        } catch (RuntimeException e) {
            r = new Reply(500, e + "\n");
        }
        byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        x.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(out);
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** Prometheus text: {@code # TYPE} once per name, then {@code name{labels} value}. */
    public static final class Metrics {
        private final StringBuilder b = new StringBuilder();
        private final java.util.Set<String> typed = new java.util.HashSet<>();

        public Metrics counter(String name, String labels, long value) {
            return add(name, "counter", labels, value);
        }

        public Metrics gauge(String name, String labels, long value) {
            return add(name, "gauge", labels, value);
        }

        private Metrics add(String name, String type, String labels, long value) {
            if (typed.add(name)) {
                b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            }
            b.append(name);
            if (labels != null && !labels.isEmpty()) {
                b.append('{').append(labels).append('}');
            }
            b.append(' ').append(value).append('\n');
            return this;
        }

        public String text() {
            return b.toString();
        }
    }
}
