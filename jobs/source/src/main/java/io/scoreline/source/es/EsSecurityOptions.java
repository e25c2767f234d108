package io.scoreline.source.es;

import io.scoreline.core.error.Causes;
import io.scoreline.core.error.JobException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Credentials and TLS trust for Elasticsearch. Each secret can come from its flag, its SCORELINE_* variable or a file
 * (the *-file variants, for Kubernetes/Docker secrets); none is ever logged or printed.
 */
final class EsSecurityOptions {
    @Option(names = "--es-api-key", paramLabel = "KEY", description = "API key: the encoded form, or id:api_key.")
    private String apiKey;

    @Option(names = "--es-api-key-file", paramLabel = "FILE", description = "Read the API key from this file.")
    private Path apiKeyFile;

    @Option(names = "--es-username", paramLabel = "USER", description = "Basic authentication user (with --es-password).")
    private String username;

    @Option(names = "--es-password", paramLabel = "PASSWORD", description = "Basic authentication password.")
    private String password;

    @Option(names = "--es-password-file", paramLabel = "FILE", description = "Read the password from this file.")
    private Path passwordFile;

    @Option(names = "--es-bearer-token", paramLabel = "TOKEN", description = "OAuth2/JWT bearer token.")
    private String bearerToken;

    @Option(names = "--es-bearer-token-file", paramLabel = "FILE", description = "Read the bearer token from this file.")
    private Path bearerTokenFile;

    @Option(names = "--es-ca-cert", paramLabel = "PEM", description = "Trust the server certificates this CA (PEM file) signed.")
    private Path caCert;

    @Option(names = "--es-ca-fingerprint", paramLabel = "SHA256",
            description = "Trust a server whose certificate chain contains the CA with this SHA-256 fingerprint (hex, colons optional).")
    private String caFingerprint;

    Credentials credentials() {
        String key = secret(apiKey, apiKeyFile, "--es-api-key");
        String pass = secret(password, passwordFile, "--es-password");
        String token = secret(bearerToken, bearerTokenFile, "--es-bearer-token");
        return Credentials.of(key, username, pass, token);
    }

    /** Refuses contradicting or useless TLS settings before anything connects. */
    void checkTls(List<URI> nodes) {
        if (caCert == null && caFingerprint == null) return;
        if (caCert != null && caFingerprint != null) throw JobException.usage("give --es-ca-cert or --es-ca-fingerprint, not both");
        if (nodes.stream().noneMatch(u -> u.getScheme().equals("https"))) {
            throw JobException.usage("--es-ca-cert/--es-ca-fingerprint need https:// in --es-url");
        }
    }

    Path caCert() {
        return caCert;
    }

    String caFingerprint() {
        return caFingerprint;
    }

    /** The flag's value, or the file's content (trimmed); both at once is a usage error. */
    private static String secret(String value, Path file, String flag) {
        if (value != null && file != null) throw JobException.usage("give " + flag + " or " + flag + "-file, not both");
        if (file == null) return value == null || value.isBlank() ? null : value.strip();
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (content.isEmpty()) throw JobException.usage(flag + "-file " + file + " is empty");
            return content;
        } catch (IOException e) {
            throw JobException.usage("cannot read " + flag + "-file " + file + ": " + Causes.describe(e));
        }
    }
}
