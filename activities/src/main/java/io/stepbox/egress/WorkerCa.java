package io.stepbox.egress;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A worker's interception CA, made once with openssl, and what sandboxes trust: the CA alone, a
 * bundle of the host's CAs with it (and the operator's upstream CA), and the same as a Java
 * truststore. The key stays in a directory that is never mounted into a sandbox.
 */
final class WorkerCa {
  /** Where sandboxes see {@link #trustDir()}: read-only, outside any snapshot. */
  static final String MOUNT = "/etc/stepbox-egress";

  /** The password of the truststore, which holds public certificates only. */
  static final String TRUSTSTORE_PASSWORD = "changeit";

  private static final List<Path> HOST_BUNDLES =
      List.of(
          Path.of("/etc/ssl/certs/ca-certificates.crt"),
          Path.of("/etc/pki/tls/certs/ca-bundle.crt"));

  private final Path dir;

  private WorkerCa(Path dir) {
    this.dir = dir;
  }

  /** The CA of {@code workerId} under {@code stateDir}, made on first use. */
  static synchronized WorkerCa ensure(Path stateDir, String workerId, Optional<Path> upstream) {
    WorkerCa ca = new WorkerCa(stateDir.resolve("ca").resolve(safe(workerId)));
    if (Files.isRegularFile(ca.trustDir().resolve("truststore.p12"))) {
      return ca;
    }
    // Another process (a CLI beside the worker) may be making the same CA: one at a time.
    try {
      Files.createDirectories(ca.dir);
      try (FileChannel lock =
              FileChannel.open(
                  ca.dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = lock.lock()) {
        if (!Files.isRegularFile(ca.trustDir().resolve("truststore.p12"))) {
          ca.make(workerId, upstream);
        }
      }
    } catch (IOException e) {
      throw new EgressException("cannot make the egress CA in " + ca.dir + ": " + e.getMessage(), false, e);
    }
    return ca;
  }

  Path trustDir() {
    return dir.resolve("trust");
  }

  Path cert() {
    return trustDir().resolve("ca.pem");
  }

  Path key() {
    return dir.resolve("private").resolve("ca.key");
  }

  private void make(String workerId, Optional<Path> upstream) {
    try {
      Files.createDirectories(trustDir());
      Files.createDirectories(key().getParent());
      Files.setPosixFilePermissions(key().getParent(), PosixFilePermissions.fromString("rwx------"));
      Path tmpKey = key().resolveSibling("ca.key.tmp");
      Path tmpCert = trustDir().resolve("ca.pem.tmp");
      openssl(
          "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
          "-keyout", tmpKey.toString(), "-out", tmpCert.toString(),
          "-subj", "/O=stepbox/CN=stepbox egress CA " + safe(workerId),
          "-addext", "basicConstraints=critical,CA:TRUE",
          "-addext", "keyUsage=critical,keyCertSign,cRLSign");
      Files.move(tmpKey, key(), StandardCopyOption.ATOMIC_MOVE);
      Files.move(tmpCert, cert(), StandardCopyOption.ATOMIC_MOVE);
      writeBundle(upstream);
    } catch (IOException e) {
      throw new EgressException("cannot make the egress CA in " + dir + ": " + e.getMessage(), false, e);
    }
  }

  private void writeBundle(Optional<Path> upstream) throws IOException {
    StringBuilder pem = new StringBuilder();
    for (Path p : HOST_BUNDLES) {
      if (Files.isReadable(p)) {
        pem.append(Files.readString(p)).append('\n');
        break;
      }
    }
    if (upstream.isPresent()) {
      pem.append(Files.readString(upstream.get())).append('\n');
    }
    pem.append(Files.readString(cert()));
    Path bundle = trustDir().resolve("bundle.pem");
    Files.writeString(bundle.resolveSibling("bundle.pem.tmp"), pem);
    Files.move(bundle.resolveSibling("bundle.pem.tmp"), bundle, StandardCopyOption.ATOMIC_MOVE);
    writeTruststore(pem.toString());
  }

  private void writeTruststore(String pem) throws IOException {
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      List<Certificate> certs =
          new ArrayList<>(x509.generateCertificates(new ByteArrayInputStream(pem.getBytes())));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < certs.size(); i++) {
        store.setCertificateEntry("ca-" + i, certs.get(i));
      }
      Path tmp = trustDir().resolve("truststore.p12.tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        store.store(out, TRUSTSTORE_PASSWORD.toCharArray());
      }
      Files.move(tmp, trustDir().resolve("truststore.p12"), StandardCopyOption.ATOMIC_MOVE);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("writing the Java truststore failed: " + e.getMessage(), e);
    }
  }

  private static void openssl(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("openssl is not installed (./stepbox setup installs it)", e);
    }
    try {
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("openssl " + args[0] + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while making the egress CA", e);
    }
  }

  static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
