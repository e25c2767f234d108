package io.scoreline.source.es;

import io.scoreline.core.error.JobException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.stream.Collectors;

/** --es-url values: http(s) URLs with a host; credentials belong in their own options, never in a URL. */
final class NodeUrls {
    private NodeUrls() {}

    static List<URI> parse(List<String> values) {
        return values.stream().map(String::strip).filter(v -> !v.isEmpty()).map(NodeUrls::parse).toList();
    }

    /** The URLs as logs and messages may show them. */
    static String describe(List<URI> nodes) {
        return nodes.stream().map(URI::toString).collect(Collectors.joining(","));
    }

    private static URI parse(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw JobException.usage("--es-url: not a URL (expected e.g. https://my-cluster.es.example.com:443)");
        }
        // Checked before the value is ever echoed, so a password in a URL stays out of the message.
        if (uri.getRawUserInfo() != null) {
            throw JobException.usage("--es-url must not carry credentials: use --es-username/--es-password or --es-api-key");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw JobException.usage("--es-url " + value + ": expected http(s)://host[:port]");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 9200;
        String path = uri.getRawPath() == null || uri.getRawPath().equals("/") ? "" : uri.getRawPath();
        return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + port + path);
    }
}
