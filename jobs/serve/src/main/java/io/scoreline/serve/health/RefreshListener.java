package io.scoreline.serve.health;

/**
 * What a background refresh reports, after each attempt: the pools (component {@code pool:<name>}) and the model's hot
 * reload ({@code model:<name>}) call it. A failure keeps the last good data in use; {@link Incidents} makes it visible.
 */
public interface RefreshListener {
    void succeeded(String component);

    void failed(String component, RuntimeException error);

    RefreshListener NONE = new RefreshListener() {
        @Override
        public void succeeded(String component) { }

        @Override
        public void failed(String component, RuntimeException error) { }
    };

    static String pool(String name) {
        return "pool:" + name;
    }

    static String model(String name) {
        return "model:" + name;
    }
}
