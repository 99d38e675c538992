package io.stepbox.sandbox;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import java.util.List;
import java.util.Map;

/**
 * The hardened host configuration of a sandbox. Everything a sandbox may do is decided here:
 * runtime, limits, capabilities, network and mounts.
 */
final class HostConfigs {
  /**
   * Capabilities a sandbox keeps; everything else is dropped. Package managers and builds run as
   * root inside the sandbox and need exactly these: CHOWN, DAC_OVERRIDE, FOWNER and FSETID to
   * unpack and fix ownership and modes of files that other users own; SETUID and SETGID to drop to
   * an unprivileged user (apt's _apt, su, setpriv); KILL to stop processes of those users. Dropped,
   * among others: NET_RAW (raw sockets), MKNOD (device nodes), SYS_CHROOT, SETFCAP, SETPCAP,
   * AUDIT_WRITE, NET_BIND_SERVICE. gVisor enforces these inside its own kernel, so they never reach
   * the host kernel anyway.
   */
  static final Capability[] KEPT_CAPABILITIES = {
    Capability.CHOWN,
    Capability.DAC_OVERRIDE,
    Capability.FOWNER,
    Capability.FSETID,
    Capability.SETUID,
    Capability.SETGID,
    Capability.KILL
  };

  /**
   * Under gVisor with the ptrace platform each sandboxed process costs the host several tasks (stub
   * processes and tracer threads), and more while processes churn, most of all under a fork bomb
   * (docs/benchmarks.md has the counts). The process limit itself is RLIMIT_NPROC, which gVisor's
   * kernel enforces; the host pids cgroup is only a backstop against a runaway sentry, sized well
   * above the peak a fork bomb reaches at the process limit: when it fires, the whole sandbox dies.
   */
  static final int GVISOR_HOST_TASKS_PER_PROCESS = 100;

  static final int GVISOR_HOST_TASKS_BASE = 1024;

  /** Processes the sandbox allows beyond the commands' own limit: the agent and its shims. */
  static final int CONTROL_HEADROOM = 16;

  private HostConfigs() {}

  /**
   * PID 1 is stepbox's agent, from a read-only host directory: it reaps orphans, which would
   * otherwise stay zombies and use up the process limit, and the sandbox ends by itself when its
   * lifetime is over.
   */
  static HostConfig of(SandboxSpec spec, AgentBinary agent, String egressNetwork) {
    List<Bind> binds = new java.util.ArrayList<>();
    binds.add(new Bind(agent.directory().toString(), new Volume(AgentBinary.MOUNT), AccessMode.ro));
    for (Mount m : spec.mounts()) {
      binds.add(new Bind(m.hostPath().toString(), new Volume(m.containerPath()), AccessMode.ro));
    }
    HostConfig host =
        HostConfig.newHostConfig()
            .withRuntime(spec.runtime())
            .withMemory(spec.memoryBytes())
            .withMemorySwap(spec.memoryBytes())
            .withNanoCPUs(Math.round(spec.cpus() * 1e9))
            .withCapDrop(Capability.ALL)
            .withCapAdd(KEPT_CAPABILITIES)
            .withSecurityOpts(List.of("no-new-privileges"))
            .withPrivileged(false)
            .withInit(false)
            .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE))
            .withNetworkMode(networkMode(spec.network(), egressNetwork))
            .withBinds(binds);
    if (spec.isGvisor()) {
      long n = spec.processes() + CONTROL_HEADROOM;
      host.withUlimits(List.of(new Ulimit("nproc", n, n)))
          .withPidsLimit(GVISOR_HOST_TASKS_BASE + n * GVISOR_HOST_TASKS_PER_PROCESS);
    } else {
      // RLIMIT_NPROC would count every host process of the same uid under runc: use pids only.
      host.withPidsLimit((long) spec.processes());
    }
    if (spec.diskBytes() > 0) {
      host.withStorageOpt(Map.of("size", Long.toString(spec.diskBytes())));
    }
    return host;
  }

  static String networkMode(NetworkPolicy policy, String egressNetwork) {
    if (policy instanceof NetworkPolicy.Internal internal) {
      return internal.name();
    }
    return policy instanceof NetworkPolicy.Egress ? egressNetwork : "none";
  }
}
