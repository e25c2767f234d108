/*
 * Minimal launcher for a real Elasticsearch node built from Maven Central jars (no distribution, no Docker).
 * Compiled by start.sh against the server jars of the chosen major (8.x or 9.x); the same source serves both.
 *
 * Usage: java --module-path <server jars> --add-modules ALL-MODULE-PATH -cp <this class> ScorelineEsNode \
 *            <home> <data> <logs> <http-port> <cluster-name> [key=value ...]
 *
 * It does what org.elasticsearch.bootstrap.Elasticsearch does, minus the CLI, security manager / entitlement
 * agent and the bootstrap checks (so it can run as root and with small heaps). SIGTERM closes the node cleanly.
 */

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginBundle;
import org.elasticsearch.plugins.PluginsLoader;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public final class ScorelineEsNode {

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            // last line of the log, so that start.sh's "last 30 lines" shows the cause even after a long stack trace
            System.err.println("scoreline-es: startup failed: " + t);
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: ScorelineEsNode <home> <data> <logs> <http-port> <cluster-name> [key=value ...]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Settings.Builder builder = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", Path.of(args[1]).toAbsolutePath().toString())
            .put("path.logs", Path.of(args[2]).toAbsolutePath().toString())
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", args[3])
            .put("transport.port", "0")
            .put("cluster.name", args[4])
            .put("node.name", args[4])
            // a test node must not turn indices read-only because the shared disk is fuller than 85-95 %
            .put("cluster.routing.allocation.disk.threshold_enabled", "false");
        for (int i = 5; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected key=value, got: " + args[i]);
            builder.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Settings settings = builder.build();
        Environment env = new Environment(settings, home.resolve("config"));

        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(args[4]);
        LogConfigurator.setClusterName(args[4]);
        LogConfigurator.configure(env, true); // true = keep the console appender (start.sh sends stdout to es.log)

        Set<PluginBundle> modules = loadBundles("loadModulesBundles", env.modulesDir());
        Set<PluginBundle> plugins = loadBundles("loadPluginsBundles", env.pluginsDir());
        PluginsLoader pluginsLoader = PluginsLoader.createPluginsLoader(modules, plugins, Map.of());

        Node node = new Node(env, pluginsLoader);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                node.awaitClose(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "scoreline-es-shutdown"));
        node.start();
        System.out.println("scoreline-es: node started, http.port=" + args[3]);
        closed.await(); // keeps a non-daemon thread alive until the shutdown hook has run
    }

    /** 9.x has (Path, boolean isServerless); 8.x has (Path). One source for both majors. */
    @SuppressWarnings("unchecked")
    private static Set<PluginBundle> loadBundles(String name, Path dir) throws Exception {
        for (Method m : PluginsLoader.class.getMethods()) {
            if (!m.getName().equals(name)) continue;
            if (m.getParameterCount() == 1) return (Set<PluginBundle>) m.invoke(null, dir);
            if (m.getParameterCount() == 2 && m.getParameterTypes()[1] == boolean.class) {
                return (Set<PluginBundle>) m.invoke(null, dir, false);
            }
        }
        throw new IllegalStateException("PluginsLoader." + name + " has no known signature in this Elasticsearch version");
    }
}
