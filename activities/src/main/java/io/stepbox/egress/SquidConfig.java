package io.stepbox.egress;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.egress.EgressSecret;
import io.stepbox.workflows.egress.HostRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The squid.conf of one sandbox's proxy, and its error pages. Every rule of the policy becomes
 * ACLs that match names only ({@code -n}: no reverse lookups), so an IP literal never passes as
 * the name it resolves back to. Order of the checks: the sandbox's own address, IP literals, deny
 * rules, allow rules (name, then port), and last the address the name resolved to. HTTPS is
 * peeked at, never decrypted, unless a secret must be added: the TLS server name passes the same
 * rules or the connection is cut.
 */
final class SquidConfig {
  /** Loopback, private, link-local, shared, multicast and reserved ranges. */
  static final List<String> PRIVATE =
      List.of(
          "0.0.0.0/8",
          "10.0.0.0/8",
          "100.64.0.0/10",
          "127.0.0.0/8",
          "169.254.0.0/16",
          "172.16.0.0/12",
          "192.0.0.0/24",
          "192.168.0.0/16",
          "198.18.0.0/15",
          "224.0.0.0/3",
          "::/128",
          "::1",
          "64:ff9b::/96",
          "2002::/16",
          "fc00::/7",
          "fe80::/10");

  /** The access log line: fields {@link AccessLog} reads, in this order. */
  static final String LOG_FORMAT =
      "%ts.%03tu %>a %rm %#>rd %>rP %#ssl::>sni %Ss %>Hs %>st %<st %ssl::bump_mode %err_code"
          + " %note{stepbox-secret}";

  /**
   * Settings every proxy has: nothing cached, memory handed back, no pinger, the client's
   * address not forwarded, a ready exit, up to 1 MB read ahead of a slow client (the default 16 KB
   * throttled large downloads), and any protocol other than TLS tunnelled once allowed.
   */
  private static final List<String> FIXED =
      List.of(
          "cache deny all",
          "cache_mem 0 MB",
          "memory_pools off",
          "visible_hostname stepbox-egress",
          "pinger_enable off",
          "forwarded_for delete",
          "httpd_suppress_version_string on",
          "shutdown_lifetime 0 seconds",
          "logfile_rotate 0",
          "max_filedescriptors 8192",
          "read_ahead_gap 1 MB",
          "on_unsupported_protocol tunnel all");

  private static final Pattern SAFE_VALUE = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]*");

  /** Where a proxy's files are, and what it listens on. */
  record Place(
      Path dir, String listenIp, int port, String sandboxIp, Path caCert, Path caKey, Path sslDb) {
    Path logs() {
      return dir.resolve("logs");
    }

    Path errors() {
      return dir.resolve("errors");
    }
  }

  private final EgressPolicy policy;
  private final Map<String, String> secretValues;
  private final EgressSettings settings;
  private final StringBuilder out = new StringBuilder();

  /**
   * @param secretValues the value of each of the policy's secrets, by name (never logged)
   */
  SquidConfig(EgressPolicy policy, Map<String, String> secretValues, EgressSettings settings) {
    this.policy = policy;
    this.secretValues = secretValues;
    this.settings = settings;
  }

  /** The configuration text. */
  String render(Place place) {
    out.setLength(0);
    base(place);
    List<String> allowNames = new ArrayList<>();
    List<String> allowPairs = new ArrayList<>();
    List<String> allowSni = new ArrayList<>();
    List<HostRule> allow = policy.allowRules();
    for (int i = 0; i < allow.size(); i++) {
      rule("a" + i, allow.get(i));
      allowNames.add("a" + i + "_h");
      allowPairs.add("a" + i);
      allowSni.add("a" + i + "_sni");
    }
    List<HostRule> deny = policy.denyRules();
    for (int i = 0; i < deny.size(); i++) {
      rule("d" + i, deny.get(i));
    }
    access(place, deny.size(), allowNames, allowPairs);
    List<String> secretSni = secrets();
    tls(deny.size(), secretSni, allowSni);
    return out.toString();
  }

  /** Error pages by file name: what a denied request's 403 says. */
  Map<String, String> errorPages() {
    Map<String, String> pages = new LinkedHashMap<>();
    page(pages, "ERR_STEPBOX_IP_LITERAL", EgressPolicy.Reason.IP_LITERAL);
    page(pages, "ERR_STEPBOX_NOT_ALLOWED", EgressPolicy.Reason.NOT_ALLOWED);
    page(pages, "ERR_STEPBOX_PORT", EgressPolicy.Reason.PORT);
    page(pages, "ERR_STEPBOX_PRIVATE", EgressPolicy.Reason.PRIVATE_ADDRESS);
    page(pages, "ERR_STEPBOX_DENY_RULE", EgressPolicy.Reason.DENY_RULE);
    pages.put(
        "ERR_STEPBOX_OTHER_SANDBOX",
        "stepbox egress: this proxy serves another sandbox; use the HTTP_PROXY of your own.\n");
    return pages;
  }

  private static void page(Map<String, String> pages, String name, EgressPolicy.Reason reason) {
    pages.put(
        name,
        "stepbox egress denied ("
            + reason.name()
            + "): "
            + EgressPolicy.explain(reason, "%H", "%p")
            + "\n");
  }

  private void base(Place p) {
    line(
        "http_port %s:%d ssl-bump cert=%s key=%s generate-host-certificates=on"
            + " dynamic_cert_mem_cache_size=4MB",
        p.listenIp(), p.port(), p.caCert(), p.caKey());
    line("sslcrtd_program %s -s %s -M 16MB", settings.certgen(), p.sslDb());
    line("sslcrtd_children 4 startup=0 idle=1");
    settings.upstreamCa().ifPresent(ca -> line("tls_outgoing_options cafile=%s", ca));
    line("pid_filename %s", p.logs().resolve("squid.pid"));
    line("cache_log %s", p.logs().resolve("cache.log"));
    line("logformat stepbox %s", LOG_FORMAT);
    line("access_log stdio:%s stepbox", p.logs().resolve("access.log"));
    line("coredump_dir %s", p.dir());
    line("error_directory %s", p.errors());
    line("hosts_file %s", settings.hostsFile().map(Path::toString).orElse("none"));
    if (!settings.dnsServers().isEmpty()) {
      line("dns_nameservers %s", String.join(" ", settings.dnsServers()));
    }
    FIXED.forEach(this::line);
    line("acl sandbox src %s/32", p.sandboxIp());
    line("acl iplit dstdom_regex -n ^[0-9.]+$ :");
    line("acl private_dst dst %s", String.join(" ", PRIVATE));
    // The host's own addresses, public ones too: its services are never a destination.
    List<String> own = HostAddresses.all();
    if (!own.isEmpty()) {
      line("acl private_dst dst %s", String.join(" ", own));
    }
    line("acl https proto HTTPS");
    if (!settings.allowPrivate().isEmpty()) {
      line("acl private_ok dst %s", String.join(" ", settings.allowPrivate()));
    }
    line("acl step1 at_step SslBump1");
    line("acl step2 at_step SslBump2");
  }

  /** ACLs {@code ID_h} (name), {@code ID_sni} (TLS server name) and {@code ID} (name and port). */
  private void rule(String id, HostRule r) {
    names(id + "_h", r, "dstdomain -n", "dstdom_regex -n -i");
    names(id + "_sni", r, "ssl::server_name --client-requested", "ssl::server_name_regex -i");
    if (r.ports().isEmpty()) {
      line("acl %s any-of %s_h", id, id);
    } else {
      line("acl %s_p port %s", id, String.join(" ", r.ports().stream().map(String::valueOf).toList()));
      line("acl %s all-of %s_h %s_p", id, id, id);
    }
  }

  private void names(String acl, HostRule r, String exact, String regex) {
    if (r.wildcard()) {
      line("acl %s %s ^.+\\.%s\\.?$", acl, regex, r.host().replace(".", "\\."));
    } else {
      line("acl %s %s %s", acl, exact, r.host());
    }
  }

  /**
   * Squid names the page of a denial after the last ACL of the denying line; the {@code why_*}
   * ACLs match every client and stand last, so each kind of denial gets its own page.
   */
  private void access(Place p, int denies, List<String> names, List<String> pairs) {
    for (String why : List.of("ip", "deny", "name", "port", "private")) {
      line("acl why_%s src all", why);
    }
    line("deny_info ERR_STEPBOX_OTHER_SANDBOX sandbox");
    line("http_access deny !sandbox");
    line("deny_info ERR_STEPBOX_IP_LITERAL why_ip");
    line("http_access deny iplit why_ip");
    line("deny_info ERR_STEPBOX_DENY_RULE why_deny");
    for (int i = 0; i < denies; i++) {
      line("http_access deny d%d why_deny", i);
    }
    line("deny_info ERR_STEPBOX_NOT_ALLOWED why_name");
    if (names.isEmpty()) {
      line("http_access deny why_name");
      return;
    }
    line("acl allowed_name any-of %s", String.join(" ", names));
    line("acl allowed any-of %s", String.join(" ", pairs));
    line("http_access deny !allowed_name why_name");
    line("deny_info ERR_STEPBOX_PORT why_port");
    line("http_access deny !allowed why_port");
    line("deny_info ERR_STEPBOX_PRIVATE why_private");
    line(
        "http_access deny %sprivate_dst why_private",
        settings.allowPrivate().isEmpty() ? "" : "!private_ok ");
    line("http_access allow allowed");
    line("http_access deny all");
  }

  /** Header ACLs and rules of each secret; returns the ACLs of their TLS server names. */
  private List<String> secrets() {
    List<String> sni = new ArrayList<>();
    List<EgressSecret> secrets = policy.secrets();
    for (int k = 0; k < secrets.size(); k++) {
      EgressSecret s = secrets.get(k);
      List<HostRule> hosts = s.hostRules();
      List<String> hostAcls = new ArrayList<>();
      for (int h = 0; h < hosts.size(); h++) {
        String id = "k" + k + "_" + h;
        names(id + "_h", hosts.get(h), "dstdomain -n", "dstdom_regex -n -i");
        names(id + "_sni", hosts.get(h), "ssl::server_name --client-requested", "ssl::server_name_regex -i");
        hostAcls.add(id + "_h");
        sni.add(id + "_sni");
      }
      line("acl k%d any-of %s", k, String.join(" ", hostAcls));
      String value = s.headerValue(valueOf(s.name()));
      if (!SAFE_VALUE.matcher(value).matches()) {
        throw new EgressException(
            "secret " + s.name() + ": the header '" + s.header() + "' holds a character a header"
                + " cannot carry (a quote, a backslash, a control character or non-ASCII)",
            false);
      }
      // Over HTTPS only: a secret never crosses the network in clear text.
      line("request_header_access %s deny k%d https", s.headerName(), k);
      line("request_header_add %s \"%s\" k%d https", s.headerName(), value.replace("%", "%%"), k);
      line("note stepbox-secret %s k%d https", s.name(), k);
    }
    return sni;
  }

  private String valueOf(String name) {
    String v = secretValues.get(name);
    if (v == null) {
      throw new EgressException(
          "secret " + name + " is not set in the worker's environment; set it where the worker runs",
          false);
    }
    if (!SAFE_VALUE.matcher(v).matches()) {
      throw new EgressException(
          "secret "
              + name
              + "'s value holds a character a header cannot carry (a quote, a backslash, a"
              + " control character or non-ASCII); encode it first",
          false);
    }
    return v;
  }

  private void tls(int denies, List<String> secretSni, List<String> allowSni) {
    line("ssl_bump peek step1");
    for (int i = 0; i < denies; i++) {
      line("ssl_bump terminate step2 d%d_sni", i);
    }
    for (String acl : secretSni) {
      line("ssl_bump bump step2 %s", acl);
    }
    for (String acl : allowSni) {
      line("ssl_bump splice step2 %s", acl);
    }
    line("ssl_bump terminate all");
  }

  private void line(String format, Object... args) {
    out.append(args.length == 0 ? format : String.format(format, args)).append('\n');
  }
}
