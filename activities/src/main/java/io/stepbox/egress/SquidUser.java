package io.stepbox.egress;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;

/**
 * Squid started as root drops to Debian's {@code proxy} user: what it writes after that (logs, the
 * certificate cache) must be that user's. Started as anyone else it stays that user.
 */
final class SquidUser {
  static final String NAME = "proxy";

  private SquidUser() {}

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Gives {@code path} to the proxy user when this process is root. */
  static void own(Path path) throws IOException {
    if (!root()) {
      return;
    }
    UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
    UserPrincipal user = users.lookupPrincipalByName(NAME);
    GroupPrincipal group = users.lookupPrincipalByGroupName(NAME);
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    view.setOwner(user);
    view.setGroup(group);
  }
}
