package dev.wasmengine.registry.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Trust for registry TLS: the JDK's roots plus the CA certificates of a PEM file. */
final class TrustStores {
  private TrustStores() {}

  static TrustManagerFactory withExtraCertificates(Path pemFile) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((KeyStore) null);
    int count = 0;
    for (TrustManager manager : jdk.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        for (X509Certificate root : x509.getAcceptedIssuers()) {
          store.setCertificateEntry("jdk-" + count++, root);
        }
      }
    }
    int extra = 0;
    try (InputStream in = Files.newInputStream(pemFile)) {
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("configured-" + extra++, certificate);
      }
    }
    if (extra == 0) {
      throw new GeneralSecurityException("no certificate in " + pemFile);
    }
    TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    combined.init(store);
    return combined;
  }
}
