package io.scoreline.source.es;

import io.scoreline.core.error.JobException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** TLS trust for a cluster with its own CA: the CA certificate as a PEM file, or the CA's SHA-256 fingerprint. */
final class TlsTrust {
    private TlsTrust() {}

    static SSLContext fromCaFile(Path pem) {
        List<X509Certificate> cas;
        try (InputStream in = Files.newInputStream(pem)) {
            cas = new ArrayList<>();
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) cas.add((X509Certificate) cert);
        } catch (IOException | CertificateException e) {
            throw JobException.usage("cannot read --es-ca-cert " + pem + ": " + e.getMessage());
        }
        if (cas.isEmpty()) throw JobException.usage("--es-ca-cert " + pem + " holds no PEM certificate");
        return context(trusting(cas));
    }

    /**
     * Trusts a chain that contains a certificate with this fingerprint, after checking the chain's signatures up to it.
     * (The client library's own fingerprint helper compares the last certificate only, without checking that it signed
     * the server's certificate, which a man in the middle could satisfy by appending the real CA certificate.)
     */
    static SSLContext fromFingerprint(String fingerprint) {
        byte[] expected = parseFingerprint(fingerprint);
        return context(new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                for (X509Certificate cert : chain) {
                    if (MessageDigest.isEqual(expected, sha256(cert))) {
                        trusting(List.of(cert)).checkServerTrusted(chain, authType);
                        return;
                    }
                }
                throw new CertificateException("no certificate in the server's chain has the --es-ca-fingerprint");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client certificates are not checked here");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        });
    }

    private static byte[] parseFingerprint(String text) {
        String hex = text.replace(":", "").strip();
        if (!hex.matches("(?i)[0-9a-f]{64}")) {
            throw JobException.usage("--es-ca-fingerprint must be a SHA-256 fingerprint: 64 hex digits, colons optional");
        }
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] sha256(X509Certificate cert) throws CertificateException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new CertificateException(e);
        }
    }

    private static X509TrustManager trusting(Collection<X509Certificate> cas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : cas) store.setCertificateEntry("ca-" + i++, ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) return x509;
            }
            throw new IllegalStateException("the JDK offers no X509TrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store: " + e, e);
        }
    }

    private static SSLContext context(X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e, e);
        }
    }
}
