package main

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDescendants(t *testing.T) {
	p := func(pid, ppid int) procInfo { return procInfo{pid: pid, ppid: ppid} }
	z := func(pid, ppid int) procInfo { return procInfo{pid: pid, ppid: ppid, zombie: true} }
	tests := []struct {
		name  string
		procs []procInfo
		root  int
		want  []int
	}{
		{"no processes", nil, 1, nil},
		{"tree", []procInfo{p(1, 0), p(2, 1), p(3, 1), p(4, 2), p(5, 4), p(9, 8)}, 1, []int{2, 3, 4, 5}},
		{"subtree", []procInfo{p(1, 0), p(2, 1), p(3, 1), p(4, 2), p(5, 4)}, 2, []int{4, 5}},
		{"unknown root", []procInfo{p(1, 0), p(2, 1)}, 77, nil},
		{"leaf", []procInfo{p(1, 0), p(2, 1)}, 2, nil},
		// A zombie needs no kill, but what it started is still below root.
		{"zombie in the middle", []procInfo{p(2, 1), z(3, 2), p(4, 3)}, 1, []int{2, 4}},
		// What follows is a hostile or racing view of /proc: the walk must end.
		{"root its own parent", []procInfo{p(1, 1), p(2, 1)}, 1, []int{2}},
		{"self-parent off the tree", []procInfo{p(2, 1), p(5, 5)}, 1, []int{2}},
		{"self-parent listed twice", []procInfo{p(5, 1), p(5, 5)}, 1, []int{5}},
		{"cycle through root", []procInfo{p(1, 3), p(2, 1), p(3, 2)}, 1, []int{2, 3}},
		{"cycle below root", []procInfo{p(2, 1), p(3, 2), p(2, 3)}, 1, []int{2, 3}},
		{"cycle off the tree", []procInfo{p(2, 1), p(7, 8), p(8, 7)}, 1, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := descendantsWithin(t, tt.procs, tt.root)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("descendants = %v, want %v", got, tt.want)
			}
		})
	}
}

// descendantsWithin fails the test if descendants does not return: a loop would otherwise hang
// the whole run until go test's own timeout.
func descendantsWithin(t *testing.T, procs []procInfo, root int) []int {
	t.Helper()
	done := make(chan []int, 1)
	go func() { done <- descendants(procs, root) }()
	select {
	case got := <-done:
		return got
	case <-time.After(10 * time.Second):
		t.Fatalf("descendants(%v, %d) did not return", procs, root)
		return nil
	}
}

func TestListProcsSeesItself(t *testing.T) {
	self := findProc(t, os.Getpid())
	if self.ppid != os.Getppid() || self.zombie {
		t.Fatalf("own entry %+v, want ppid %d and alive", self, os.Getppid())
	}
}

// The command name in /proc/N/stat is free text: one with ") S 1 (" in it must not shift the
// fields after it.
func TestListProcsHostileName(t *testing.T) {
	old, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Skip(err)
	}
	if err := os.WriteFile("/proc/self/comm", []byte("a) S 1 (b"), 0); err != nil {
		t.Skip("cannot rename this process:", err)
	}
	t.Cleanup(func() { os.WriteFile("/proc/self/comm", []byte(strings.TrimSpace(string(old))), 0) })
	if self := findProc(t, os.Getpid()); self.ppid != os.Getppid() {
		t.Fatalf("ppid %d read past a hostile name, want %d", self.ppid, os.Getppid())
	}
}

func findProc(t *testing.T, pid int) procInfo {
	t.Helper()
	for _, p := range listProcs() {
		if p.pid == pid {
			return p
		}
	}
	t.Fatalf("listProcs has no entry for pid %d", pid)
	return procInfo{}
}
