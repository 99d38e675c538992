// Command stepbox-agent is the first process of every stepbox sandbox. It keeps the sandbox alive
// for its lifetime, reaps orphans, and serves stepbox over the container's attached stdin and
// stdout: it runs commands (each under a shim of its own that is the subreaper of everything the
// command starts) and does the helper work that stepbox must not borrow from the image.
//
// Everything it reads from inside the sandbox is treated as hostile: the commands run as root
// beside it and may plant symlinks, flood their output or write garbage wherever they can.
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

// version is stamped by the build (-X main.version=...).
var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "shim" {
		os.Exit(runShim())
	}
	lifetime := time.Duration(0)
	for i := 1; i < len(os.Args); i++ {
		switch os.Args[i] {
		case "--version":
			fmt.Println(version)
			return
		case "--lifetime":
			if i+1 < len(os.Args) {
				s, err := strconv.ParseInt(os.Args[i+1], 10, 64)
				if err != nil || s <= 0 {
					fatal("--lifetime takes whole seconds, got %q", os.Args[i+1])
				}
				lifetime = time.Duration(s) * time.Second
				i++
			}
		default:
			fatal("unknown argument %q; usage: stepbox-agent [--lifetime SECONDS] | --version", os.Args[i])
		}
	}
	// Not dumpable: the commands, root like the agent, cannot open /proc/1/fd or /proc/1/mem and so
	// cannot write into its channel or read what it holds.
	prctl(syscall.PR_SET_DUMPABLE, 0)
	// Already the reaper of every orphan as PID 1; elsewhere (tests) this makes it so.
	prctl(prSetChildSubreaper, 1)
	a := newAgent(os.Stdout)
	if lifetime > 0 {
		time.AfterFunc(lifetime, func() { os.Exit(0) })
	}
	a.serve(os.Stdin)
	// stdin ended (nothing is attached for good): keep the sandbox alive until its lifetime.
	select {}
}

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "stepbox-agent: "+format+"\n", args...)
	os.Exit(2)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "stepbox-agent: "+format+"\n", args...)
}

func prctl(option, arg uintptr) error {
	_, _, e := syscall.RawSyscall6(syscall.SYS_PRCTL, option, arg, 0, 0, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// prSetChildSubreaper is PR_SET_CHILD_SUBREAPER, which package syscall does not name.
const prSetChildSubreaper = 36
