package io.chatbotctl.modelsync;

import io.chatbotctl.core.InvalidInputException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Which certificate authorities an https endpoint may present, as the aws CLI decides: exactly those in the PEM file
 * named by {@code AWS_CA_BUNDLE} (a private MinIO or Ceph, say), else the JDK's trust store.
 */
final class CaBundle {
    static final String VARIABLE = "AWS_CA_BUNDLE";

    private CaBundle() {}

    static SSLSocketFactory socketFactory(S3Settings settings) {
        String bundle = settings.variables().get(VARIABLE);
        if (bundle == null || bundle.isBlank()) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(Path.of(bundle))) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            String reason = e instanceof NoSuchFileException ? "no such file" : e.getMessage();
            throw new InvalidInputException("cannot read the CA bundle " + VARIABLE + "=" + bundle + ": " + reason,
                    "point " + VARIABLE + " at a PEM file of CA certificates, or unset it");
        }
        if (certificates.isEmpty()) {
            throw new InvalidInputException("the CA bundle " + VARIABLE + "=" + bundle + " holds no certificates",
                    "point " + VARIABLE + " at a PEM file of CA certificates, or unset it");
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS cannot be set up: " + e.getMessage(), e);
        }
    }
}
