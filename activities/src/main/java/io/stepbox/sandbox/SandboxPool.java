package io.stepbox.sandbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes started ahead of time, so that a new sandbox from an image costs a rename instead of a
 * gVisor boot. For each recently asked-for spec (image, limits, env, network, mounts: everything
 * but the task and step) it keeps up to {@link Settings#perSpec} started sandboxes, refilled on
 * one background thread after each take. The total is bounded by a count and by the sum of their
 * memory limits. A spec nobody asked for within {@link Settings#idle} loses its sandboxes.
 *
 * <p>Pooled sandboxes carry this worker's labels and {@link SandboxLabels#POOL}, so the reaper
 * removes them like any other when they expire or when this worker's process has died. Thread-safe.
 */
public final class SandboxPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxPool.class);

  /** After a failed refill, a spec is not refilled again for this long. */
  static final Duration BACKOFF = Duration.ofMinutes(1);

  /**
   * How the pool is sized.
   *
   * @param perSpec started sandboxes kept for each spec; 0 turns the pool off
   * @param maxIdle most sandboxes kept in all
   * @param memoryBytes most memory their limits may add up to
   * @param idle a spec not asked for within this long loses its sandboxes; a pooled sandbox older
   *     than this is replaced
   */
  public record Settings(int perSpec, int maxIdle, long memoryBytes, Duration idle) {
    public Settings {
      if (perSpec < 0 || maxIdle < 0 || memoryBytes < 0) {
        throw new IllegalArgumentException("pool sizes must not be negative");
      }
      if (idle.isNegative() || idle.isZero()) {
        throw new IllegalArgumentException("pool idle time must be positive");
      }
    }

    /**
     * From {@code STEPBOX_POOL_SIZE} (per spec, default 1; 0 off), {@code STEPBOX_POOL_MAX} (in all,
     * default 4) and {@code STEPBOX_POOL_IDLE_SECONDS} (default 300). Their memory limits may add
     * up to a quarter of this host's memory.
     */
    public static Settings fromEnvironment(Map<String, String> env) {
      return PoolEnvironment.read(env);
    }
  }

  private final DockerSandboxRuntime runtime;
  private final PooledStarts starts;
  private final Settings settings;
  private final Clock clock;
  private final ExecutorService refills;
  private final ExecutorService renames;
  private final Map<SandboxSpec, PoolShelf> shelves = new HashMap<>();
  private final Counter hits;
  private final Counter misses;
  private boolean closed;

  public SandboxPool(DockerSandboxRuntime runtime, Settings settings, MeterRegistry registry) {
    this(runtime, settings, registry, runtime.clock());
  }

  SandboxPool(
      DockerSandboxRuntime runtime, Settings settings, MeterRegistry registry, Clock clock) {
    this.runtime = runtime;
    this.starts = runtime.pooled();
    this.settings = settings;
    this.clock = clock;
    this.refills = Executors.newSingleThreadExecutor(daemon("stepbox-pool-refill"));
    this.renames = Executors.newSingleThreadExecutor(daemon("stepbox-pool-rename"));
    this.hits = takes(registry, "hit");
    this.misses = takes(registry, "miss");
    registry.gauge("stepbox.sandbox.pool.ready", this, SandboxPool::ready);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static Counter takes(MeterRegistry registry, String result) {
    return Counter.builder("stepbox.sandbox.pool.takes")
        .tag("result", result)
        .description("Sandboxes asked of the pool: hit (a started one) or miss (made then)")
        .register(registry);
  }

  /**
   * A started sandbox for {@code spec}: a pooled one when there is one that fits, else one made
   * now. Either way the spec's shelf is refilled in the background.
   *
   * @throws SandboxException as {@link SandboxRuntime#create(SandboxSpec)}
   */
  public Sandbox create(SandboxSpec spec) {
    // A sandbox with egress gets a proxy bound to its own address at its start: never pooled.
    if (settings.perSpec() == 0 || spec.network() instanceof NetworkPolicy.Egress) {
      return runtime.create(spec);
    }
    spec.validate();
    SandboxSpec key = key(spec);
    Optional<Sandbox> taken = take(key, spec);
    if (taken.isPresent()) {
      hits.increment();
      refill(key);
      return taken.get();
    }
    misses.increment();
    Sandbox made = runtime.create(spec);
    refill(key);
    return made;
  }

  /** Everything that makes two sandboxes interchangeable: the spec without task and step. */
  static SandboxSpec key(SandboxSpec spec) {
    return spec.toBuilder().setTaskId(null).setStepId(null).build();
  }

  private Optional<Sandbox> take(SandboxSpec key, SandboxSpec spec) {
    while (true) {
      PoolShelf.Shelved s;
      synchronized (this) {
        PoolShelf shelf = shelves.computeIfAbsent(key, k -> new PoolShelf(clock.instant()));
        shelf.lastAsked = clock.instant();
        s = shelf.ready.pollFirst();
      }
      if (s == null) {
        return Optional.empty();
      }
      if (s.pooled().sandbox().expiresAt().isAfter(clock.instant().plus(spec.lifetime()))) {
        try {
          Sandbox taken = starts.claim(s.pooled(), spec);
          renames.execute(() -> renameQuietly(s.pooled(), spec));
          return Optional.of(taken);
        } catch (SandboxException e) {
          LOG.info(
              "pooled sandbox {} cannot serve: {}", s.pooled().sandbox().shortId(), e.getMessage());
        }
      }
      destroyQuietly(s.pooled().sandbox());
    }
  }

  /**
   * Off the caller's path: the command can run before its sandbox's name says whose it is. One
   * removed meanwhile needs no name.
   */
  private void renameQuietly(PooledStarts.Pooled pooled, SandboxSpec spec) {
    try {
      starts.rename(pooled, spec);
    } catch (SandboxException e) {
      if (e.reason() != SandboxException.Reason.NOT_FOUND) {
        LOG.warn(
            "naming taken sandbox {} for task {} failed; sandbox ls shows it without its task: {}",
            pooled.sandbox().shortId(),
            spec.taskId(),
            e.getMessage());
      }
    }
  }

  /** Starts what the spec's shelf lacks, within the bounds, on the refill thread. */
  private void refill(SandboxSpec key) {
    int wanted;
    synchronized (this) {
      PoolShelf shelf = shelves.get(key);
      if (closed || shelf == null) {
        return;
      }
      if (shelf.failedAt != null && shelf.failedAt.plus(BACKOFF).isAfter(clock.instant())) {
        return;
      }
      wanted = settings.perSpec() - shelf.ready.size() - shelf.starting;
      int room = settings.maxIdle() - held();
      long memoryRoom = settings.memoryBytes() - heldMemory();
      wanted = Math.min(wanted, room);
      if (key.memoryBytes() > 0) {
        wanted = (int) Math.min(wanted, memoryRoom / key.memoryBytes());
      }
      if (wanted <= 0) {
        return;
      }
      shelf.starting += wanted;
    }
    for (int i = 0; i < wanted; i++) {
      refills.execute(() -> startOne(key));
    }
  }

  private void startOne(SandboxSpec key) {
    PooledStarts.Pooled pooled = null;
    RuntimeException failure = null;
    boolean skip;
    synchronized (this) {
      skip = closed; // queued before close: nobody will take it
    }
    try {
      if (!skip) {
        pooled = starts.start(key, settings.idle());
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    boolean keep;
    synchronized (this) {
      PoolShelf shelf = shelves.get(key);
      if (shelf != null) {
        shelf.starting--;
        if (failure != null) {
          shelf.failedAt = clock.instant();
        }
      }
      keep = pooled != null && shelf != null && !closed;
      if (keep) {
        shelf.ready.addLast(new PoolShelf.Shelved(pooled, clock.instant()));
      }
      notifyAll();
    }
    if (failure != null) {
      LOG.warn(
          "starting a pooled sandbox from {} failed; sandboxes from it start on demand for {}: {}",
          key.image(),
          BACKOFF,
          failure.getMessage());
    } else if (!keep && pooled != null) {
      destroyQuietly(pooled.sandbox());
    }
  }

  /**
   * Removes the sandboxes of specs nobody asked for within the idle time, and pooled sandboxes
   * older than it (they would not live a whole lifetime any more). Returns how many went.
   */
  public int expire() {
    Instant cutoff = clock.instant().minus(settings.idle());
    List<Sandbox> gone = new ArrayList<>();
    List<SandboxSpec> refresh = new ArrayList<>();
    synchronized (this) {
      var it = shelves.entrySet().iterator();
      while (it.hasNext()) {
        var e = it.next();
        PoolShelf shelf = e.getValue();
        boolean forgotten = shelf.lastAsked.isBefore(cutoff);
        int before = shelf.ready.size();
        shelf.ready.removeIf(
            s -> {
              boolean old = forgotten || s.since().isBefore(cutoff);
              if (old) {
                gone.add(s.pooled().sandbox());
              }
              return old;
            });
        if (forgotten && shelf.starting == 0) {
          it.remove();
        } else if (!forgotten && shelf.ready.size() < before) {
          refresh.add(e.getKey());
        }
      }
    }
    gone.forEach(this::destroyQuietly);
    refresh.forEach(this::refill);
    return gone.size();
  }

  /**
   * Waits until a started sandbox for {@code spec} is ready to be taken, or until a refill for it
   * has failed; false when neither happened within {@code timeout} or the pool is off.
   */
  public synchronized boolean awaitReady(SandboxSpec spec, Duration timeout)
      throws InterruptedException {
    SandboxSpec key = key(spec);
    return await(timeout, () -> Optional.ofNullable(shelves.get(key)).stream().toList());
  }

  /** Waits until a started sandbox of any spec is ready; see the other {@code awaitReady}. */
  public synchronized boolean awaitReady(Duration timeout) throws InterruptedException {
    return await(timeout, () -> List.copyOf(shelves.values()));
  }

  private boolean await(Duration timeout, java.util.function.Supplier<List<PoolShelf>> watched)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<PoolShelf> these = watched.get();
      if (these.stream().anyMatch(s -> !s.ready.isEmpty())) {
        return true;
      }
      if (closed || these.stream().allMatch(s -> s.starting == 0)) {
        return false;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Started sandboxes ready to be taken, in all. */
  public synchronized int ready() {
    return shelves.values().stream().mapToInt(s -> s.ready.size()).sum();
  }

  private int held() {
    return shelves.values().stream().mapToInt(PoolShelf::held).sum();
  }

  private long heldMemory() {
    long sum = 0;
    for (var e : shelves.entrySet()) {
      sum += e.getKey().memoryBytes() * e.getValue().held();
    }
    return sum;
  }

  private void destroyQuietly(Sandbox sandbox) {
    try {
      runtime.destroy(sandbox);
    } catch (RuntimeException e) {
      LOG.warn(
          "removing pooled sandbox {} failed; the reaper removes it at its expiry: {}",
          sandbox.shortId(),
          e.getMessage());
    }
  }

  /** Stops refilling and removes every pooled sandbox (one still starting goes when it starts). */
  @Override
  public void close() {
    List<Sandbox> gone = new ArrayList<>();
    synchronized (this) {
      closed = true;
      shelves.values().forEach(s -> s.ready.forEach(r -> gone.add(r.pooled().sandbox())));
      shelves.values().forEach(s -> s.ready.clear());
    }
    refills.shutdown();
    renames.shutdown();
    gone.forEach(this::destroyQuietly);
    try {
      refills.awaitTermination(30, TimeUnit.SECONDS);
      renames.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
