package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type procInfo struct {
	pid, ppid int
	zombie    bool
}

// listProcs reads every process's pid, parent and state from /proc/N/stat. The command after the
// pid may hold spaces and parentheses: the fields after it start past the last ')'.
func listProcs() []procInfo {
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	out := make([]procInfo, 0, len(names))
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + n + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 || i+2 >= len(s) {
			continue
		}
		f := strings.Fields(s[i+2:])
		if len(f) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		out = append(out, procInfo{pid: pid, ppid: ppid, zombie: f[0] == "Z" || f[0] == "X"})
	}
	return out
}

// descendants lists the live processes below root. Each pid is visited once: a view of /proc that
// lists a pid twice under different parents (a cycle) must not keep the walk going.
func descendants(procs []procInfo, root int) []int {
	children := map[int][]procInfo{}
	for _, p := range procs {
		children[p.ppid] = append(children[p.ppid], p)
	}
	var out []int
	seen := map[int]bool{root: true}
	queue := []int{root}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		for _, c := range children[pid] {
			if seen[c.pid] {
				continue
			}
			seen[c.pid] = true
			if !c.zombie {
				out = append(out, c.pid)
			}
			queue = append(queue, c.pid)
		}
	}
	return out
}

// killOrphans kills the processes whose shim is gone: children of the agent that are not shims,
// and everything below them.
func (a *agent) killOrphans() {
	me := os.Getpid()
	for round := 0; round < 10000; round++ {
		procs := listProcs()
		a.mu.Lock()
		var targets []int
		for _, p := range procs {
			if p.ppid == me && a.shims[p.pid] == nil {
				if !p.zombie {
					targets = append(targets, p.pid)
				}
				targets = append(targets, descendants(procs, p.pid)...)
			}
		}
		a.mu.Unlock()
		if len(targets) == 0 {
			return
		}
		for _, pid := range targets {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(time.Millisecond)
	}
}

// killAll kills every process but the agent, however named and however it forks, until none is
// left (zombies are the reaper's).
func killAll() int {
	if os.Getpid() != 1 {
		// Not the sandbox's init (a test): only what this process started.
		n := len(descendants(listProcs(), os.Getpid()))
		killTree(os.Getpid())
		return n
	}
	killed := 0
	for round := 0; round < 10000; round++ {
		live := 0
		for _, p := range listProcs() {
			if p.pid != 1 && p.pid != os.Getpid() && !p.zombie {
				live++
			}
		}
		if live == 0 {
			return killed
		}
		killed += live
		syscall.Kill(-1, syscall.SIGKILL)
		time.Sleep(time.Millisecond)
	}
	return killed
}
