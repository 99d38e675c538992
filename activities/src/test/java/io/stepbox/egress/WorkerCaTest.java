package io.stepbox.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's CA: made once, its key apart, and trusted by every file a sandbox is given. */
class WorkerCaTest {
  @TempDir Path dir;

  @Test
  void theCaIsMadeOnceAndEveryTrustFileHoldsIt() throws Exception {
    TestPki upstream = TestPki.forNames(Files.createDirectories(dir.resolve("up")), "m.test");
    WorkerCa ca = WorkerCa.ensure(dir, "host/a", Optional.of(upstream.ca()));
    assertThat(ca.trustDir()).isEqualTo(dir.resolve("ca/host_a/trust"));
    assertThat(ca.key().startsWith(ca.trustDir())).as("the key apart from what is mounted").isFalse();
    assertThat(Files.getPosixFilePermissions(ca.key().getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    String pem = Files.readString(ca.cert());
    String bundle = Files.readString(ca.trustDir().resolve("bundle.pem"));
    assertThat(bundle).contains(pem.strip()).contains(Files.readString(upstream.ca()).strip());

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ca.trustDir().resolve("truststore.p12"))) {
      store.load(in, WorkerCa.TRUSTSTORE_PASSWORD.toCharArray());
    }
    assertThat(Collections.list(store.aliases()))
        .anyMatch(
            a -> {
              try {
                return ((X509Certificate) store.getCertificate(a))
                    .getSubjectX500Principal()
                    .getName()
                    .contains("stepbox egress CA host_a");
              } catch (Exception e) {
                return false;
              }
            });

    WorkerCa again = WorkerCa.ensure(dir, "host/a", Optional.empty());
    assertThat(Files.readString(again.cert())).as("made once, then reused").isEqualTo(pem);
  }
}
