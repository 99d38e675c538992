package io.stepbox.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The PyPI package whose own test suite {@code bench workload} runs, pinned: its sdist (the source
 * and the tests) and the wheels an offline install of it needs (its build backend), each checked
 * by sha256 after download.
 *
 * @param name the project's name on PyPI
 * @param version the pinned release
 * @param sdist the source distribution, which ships the test suite
 * @param buildWheels what {@code pip install} of the source tree needs from the wheelhouse
 */
record WorkloadPackage(String name, String version, Pin sdist, List<Pin> buildWheels) {
  /**
   * more-itertools: pure Python, several hundred tests (unittest classes, run with pytest), no
   * run-time dependencies, built with flit_core.
   */
  static final WorkloadPackage MORE_ITERTOOLS =
      new WorkloadPackage(
          "more-itertools",
          "11.2.1",
          new Pin(
              "more-itertools==11.2.1",
              "more_itertools-11.2.1.tar.gz",
              "cbf08fd0af284dc69718b9b76a8e6203df624d70209ea511e4219d350c856f63"),
          List.of(
              new Pin(
                  "flit_core==4.2.0",
                  "flit_core-4.2.0-py3-none-any.whl",
                  "2bee22dc8ba89c2e35b4e1ad575e596aac945c85672dd8f3cad21b629036e044")));

  /**
   * One file of the wheelhouse.
   *
   * @param requirement what {@code pip download} is asked for, with the exact version
   * @param fileName the file it saves
   * @param sha256 the file's SHA-256, lower-case hex
   */
  record Pin(String requirement, String fileName, String sha256) {}

  WorkloadPackage {
    buildWheels = List.copyOf(buildWheels);
  }

  /** {@code name-version}: the wheelhouse's directory name. */
  String id() {
    return name + "-" + version;
  }

  /** Every file the wheelhouse holds: the sdist first. */
  List<Pin> files() {
    List<Pin> all = new ArrayList<>(List.of(sdist));
    all.addAll(buildWheels);
    return all;
  }
}
