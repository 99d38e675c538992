package io.stepbox.sandbox;

import java.time.Instant;

/**
 * A fifo inside a sandbox, as the agent sees it: gVisor may keep fifos in its own memory, where the
 * host's layer does not show them.
 *
 * @param mode permission bits with setuid, setgid and sticky ({@code 07777})
 */
public record SandboxFifo(String path, int mode, long uid, long gid, Instant mtime) {}
