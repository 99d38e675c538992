package io.stepbox.cli.sandbox;

import io.stepbox.cli.AllowHostOption;
import io.stepbox.cli.Converters;
import io.stepbox.cli.ProcessOptions;
import io.stepbox.cli.UsageException;
import io.stepbox.sandbox.Mount;
import io.stepbox.sandbox.NetworkPolicy;
import io.stepbox.sandbox.SandboxSpec;
import io.stepbox.workflows.Images;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that describe a sandbox, shared by {@code sandbox run} and {@code create}. */
final class SpecOptions {
  @Option(names = "--image", paramLabel = "I", description = "the image (" + Images.DEFAULT + ")")
  String image;

  @Option(
      names = "--memory",
      paramLabel = "M",
      converter = Converters.BytesValue.class,
      description = "memory limit (1g)")
  Long memory;

  @Option(
      names = "--cpus",
      paramLabel = "C",
      converter = Converters.NumberValue.class,
      description = "CPUs (1)")
  Double cpus;

  @Option(
      names = {"--processes", "--pids"},
      paramLabel = "N",
      converter = Converters.NumberValue.class,
      description = "processes (512)")
  Double processes;

  @Option(
      names = "--disk",
      paramLabel = "D",
      converter = Converters.BytesValue.class,
      description = "disk limit (needs overlay2 on xfs)")
  Long disk;

  @Option(
      names = "--lifetime",
      paramLabel = "T",
      converter = Converters.DurationValue.class,
      description = "removed after T (1h)")
  Duration lifetime;

  @Option(
      names = "--network",
      paramLabel = "none|NAME",
      description = "none (default), or NAME: an --internal Docker network")
  String network;

  @Mixin AllowHostOption allowHost = new AllowHostOption();

  @Mixin ProcessOptions process = new ProcessOptions();

  @Option(
      names = "--mount",
      paramLabel = "HOST:CONTAINER",
      description = "a read-only bind mount (repeatable)")
  List<String> mounts = new ArrayList<>();

  @Option(names = "--runtime", paramLabel = "R", description = "the OCI runtime (runsc)")
  String runtime;

  @Option(
      names = "--allow-unsafe-runtime",
      description = "required for a runtime other than gVisor")
  boolean allowUnsafeRuntime;

  /** The spec on {@code image}, the configured runtime unless --runtime. */
  SandboxSpec spec(String image, String defaultRuntime) {
    SandboxSpec.Builder b =
        SandboxSpec.newBuilder(image)
            .setRuntime(runtime != null ? runtime : defaultRuntime)
            .setAllowUnsafeRuntime(allowUnsafeRuntime)
            .setNetwork(network());
    if (memory != null) {
      b.setMemoryBytes(memory);
    }
    if (cpus != null) {
      b.setCpus(cpus);
    }
    if (processes != null) {
      b.setProcesses(processes.intValue());
    }
    if (disk != null) {
      b.setDiskBytes(disk);
    }
    if (lifetime != null) {
      b.setLifetime(lifetime);
    }
    if (process.workdir() != null) {
      b.setWorkdir(process.workdir());
    }
    mounts.forEach(m -> b.addMount(Mount.parse(m)));
    process.env().forEach(b::putEnv);
    return b.build();
  }

  /** {@code --allow-host}'s egress network, else {@code --network}'s; a usage error for both. */
  NetworkPolicy network() {
    if (allowHost.hosts().isEmpty()) {
      return NetworkPolicy.parse(network);
    }
    if (network != null) {
      throw new UsageException(
          "--allow-host and --network "
              + network
              + " cannot be combined: with --allow-host the sandbox reaches the allowed hosts"
              + " through the egress proxy and nothing else; drop --network");
    }
    return new NetworkPolicy.Egress(allowHost.policy().orElseThrow());
  }
}
