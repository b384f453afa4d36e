package dev.wasmengine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key material made by the real {@code openssl}: a self-signed test CA with a server certificate
 * for 127.0.0.1 and localhost signed by it (for a TLS registry), and a self-signed RSA signing
 * certificate with its PKCS#8 key (for the token server). Everything is PEM in a given directory.
 */
public final class Certificates {
  private Certificates() {}

  /** A CA and a server certificate + key it signed, for IP:127.0.0.1 and DNS:localhost. */
  public record ServerTls(Path caCert, Path serverCert, Path serverKey) {
    /** An SSL context that trusts the test CA only. */
    public SSLContext trustingCa() {
      try {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("test-ca", readCertificate(caCert));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("cannot trust " + caCert, e);
      }
    }
  }

  /** A self-signed RSA certificate (the registry's rootcertbundle) and its key, loaded by the JDK. */
  public record SigningKey(Path cert, Path pkcs8Key, X509Certificate certificate, PrivateKey privateKey) {}

  /** Makes a CA and a server certificate in {@code dir} (created if needed). */
  public static ServerTls serverTls(Path dir) {
    createDirectories(dir);
    Path caKey = dir.resolve("ca.key");
    Path caCert = dir.resolve("ca.pem");
    Path serverKey = dir.resolve("server.key");
    Path serverCsr = dir.resolve("server.csr");
    Path serverCert = dir.resolve("server.pem");
    Path extensions = dir.resolve("server-ext.cnf");
    Commands.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "2", "-subj", "/CN=WasmEngine test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    Commands.run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes",
        "-keyout", serverKey.toString(), "-out", serverCsr.toString(), "-subj", "/CN=127.0.0.1");
    write(extensions, """
        subjectAltName=IP:127.0.0.1,DNS:localhost
        basicConstraints=critical,CA:FALSE
        keyUsage=critical,digitalSignature,keyEncipherment
        extendedKeyUsage=serverAuth
        """);
    Commands.run(dir, "openssl", "x509", "-req", "-in", serverCsr.toString(),
        "-CA", caCert.toString(), "-CAkey", caKey.toString(), "-CAcreateserial",
        "-out", serverCert.toString(), "-days", "2", "-extfile", extensions.toString());
    Commands.run(dir, "openssl", "verify", "-CAfile", caCert.toString(), serverCert.toString());
    return new ServerTls(caCert, serverCert, serverKey);
  }

  /** Makes a self-signed RSA signing certificate and its PKCS#8 key in {@code dir}. */
  public static SigningKey tokenSigning(Path dir) {
    createDirectories(dir);
    Path rawKey = dir.resolve("token-signing.key");
    Path pkcs8 = dir.resolve("token-signing.pk8.pem");
    Path cert = dir.resolve("token-signing.pem");
    Commands.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", rawKey.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=WasmEngine test token issuer",
        "-addext", "keyUsage=critical,digitalSignature,keyCertSign");
    Commands.run(dir, "openssl", "pkcs8", "-topk8", "-nocrypt", "-in", rawKey.toString(), "-out", pkcs8.toString());
    try {
      byte[] der = pemBody(Files.readString(pkcs8), "PRIVATE KEY");
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
      return new SigningKey(cert, pkcs8, readCertificate(cert), key);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("the JDK cannot load the key openssl wrote", e);
    }
  }

  static X509Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static byte[] pemBody(String pem, String label) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalStateException("no " + label + " in the PEM");
    }
    return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to).getBytes(StandardCharsets.US_ASCII));
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
