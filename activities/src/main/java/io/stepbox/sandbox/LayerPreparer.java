package io.stepbox.sandbox;

/**
 * Fills a new sandbox's writable layer after it is created and before it starts, when nothing in
 * the sandbox can observe a half-written tree (gVisor caches what it has seen, so the layer must be
 * complete before the sandbox's kernel looks at it).
 */
@FunctionalInterface
public interface LayerPreparer {
  /**
   * Writes into the empty upper directory; throwing aborts the create, which removes the sandbox.
   */
  void prepare(SandboxLayer layer);
}
