package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeExec(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func TestLookPath(t *testing.T) {
	d := t.TempDir()
	j := func(p ...string) string { return filepath.Join(append([]string{d}, p...)...) }
	writeExec(t, j("a", "tool"), 0o755)
	writeExec(t, j("b", "tool"), 0o755)
	writeExec(t, j("a", "plain"), 0o644)
	writeExec(t, j("b", "plain"), 0o700)
	writeExec(t, j("a", "onlyx"), 0o001) // root runs what any x bit allows
	if err := os.MkdirAll(j("a", "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeExec(t, j("cwd", "rel", "tool2"), 0o755)
	writeExec(t, j("cwd", "here"), 0o755)
	if err := os.Symlink(j("a", "tool"), j("b", "link")); err != nil {
		t.Fatal(err)
	}
	cwd := j("cwd")
	path := j("a") + ":" + j("b")
	tests := []struct {
		name, cmd, path string
		want            string // "" for not found
	}{
		{"first dir wins", "tool", path, j("a", "tool")},
		{"skips a file that is not executable", "plain", path, j("b", "plain")},
		{"any x bit", "onlyx", path, j("a", "onlyx")},
		{"skips a directory", "adir", path, ""},
		{"follows a symlink", "link", path, j("b", "link")},
		{"missing", "nope", path, ""},
		{"relative PATH entry against cwd", "tool2", "rel", j("cwd", "rel", "tool2")},
		{"empty PATH entry is cwd", "here", j("a") + "::" + j("b"), j("cwd", "here")},
		{"dot is cwd", "here", ".", j("cwd", "here")},
		{"empty PATH searches nothing", "here", "", ""},
		// With a slash the name is used as given: exec reports what is wrong with it.
		{"absolute", "/no/such/prog", path, "/no/such/prog"},
		{"relative with slash", "./here", path, "./here"},
		{"slash, not searched", "a/tool", j("cwd"), "a/tool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := lookPath(tt.cmd, tt.path, cwd)
			if ok != (tt.want != "") || got != tt.want {
				t.Fatalf("lookPath(%q, %q) = %q, %v; want %q", tt.cmd, tt.path, got, ok, tt.want)
			}
		})
	}
}

func TestEnvValue(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		want string
	}{
		{"set", []string{"HOME=/root", "PATH=/bin:/usr/bin"}, "/bin:/usr/bin"},
		{"unset", []string{"HOME=/root"}, "fallback"},
		{"set but empty", []string{"PATH="}, ""},
		{"longer name with the prefix", []string{"PATHEXT=.exe", "PATH_X=1"}, "fallback"},
		{"name without =", []string{"PATH"}, "fallback"},
		{"first wins", []string{"PATH=/a", "PATH=/b"}, "/a"},
		{"value with =", []string{"PATH=a=b"}, "a=b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := envValue(tt.env, "PATH", "fallback"); got != tt.want {
				t.Fatalf("envValue = %q, want %q", got, tt.want)
			}
		})
	}
}

// Only the failures, which start nothing that lives (a failed exec's child is reaped by
// ForkExec): the codes and messages are what a shell would give.
func TestStartCommandFailures(t *testing.T) {
	d := t.TempDir()
	writeExec(t, filepath.Join(d, "noexec"), 0o644)
	tests := []struct {
		name string
		req  shimRequest
		code int
		msg  string
	}{
		{"missing cwd", shimRequest{Argv: []string{"true"}, Cwd: filepath.Join(d, "gone")}, 126, "not a directory"},
		{"cwd is a file", shimRequest{Argv: []string{"true"}, Cwd: filepath.Join(d, "noexec")}, 126, "not a directory"},
		{"not on PATH", shimRequest{Argv: []string{"no-such-cmd"}, Cwd: d, Env: []string{"PATH=" + d}}, 127, "command not found"},
		{"missing path", shimRequest{Argv: []string{filepath.Join(d, "gone")}, Cwd: d}, 127, "no such file"},
		{"not executable", shimRequest{Argv: []string{"./noexec"}, Cwd: d}, 126, "permission denied"},
		{"a directory", shimRequest{Argv: []string{d}, Cwd: d}, 126, "permission denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pid, code, msg := startCommand(tt.req)
			if pid != 0 || code != tt.code || !strings.Contains(msg, tt.msg) {
				t.Fatalf("startCommand = pid %d, %d, %q; want no pid, %d, %q", pid, code, msg, tt.code, tt.msg)
			}
		})
	}
}

func TestReadStatus(t *testing.T) {
	tests := []struct {
		name           string
		lines          string
		exit, signal   int
		lost, saidDone bool
	}{
		{"exit then done", `{"pid":42}` + "\n" + `{"exit":3}` + "\n" + `{"done":true}` + "\n", 3, 0, false, true},
		{"killed by a signal", `{"exit":137,"signal":9}` + "\n" + `{"done":true}` + "\n", 137, 9, false, true},
		{"first exit counts", `{"exit":1}` + "\n" + `{"exit":2}` + "\n", 1, 0, false, false},
		{"garbage skipped", "not json\n{\n" + `{"exit":5}` + "\n", 5, 0, false, false},
		// A shim that closed its status without an exit was killed: the command is lost.
		{"nothing said", "", 0, 0, true, false},
		{"pid only", `{"pid":42}` + "\n", 0, 0, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.WriteString(tt.lines); err != nil {
				t.Fatal(err)
			}
			w.Close()
			s := &shim{status: r, exitKnown: make(chan struct{}), statusDone: make(chan struct{})}
			s.readStatus()
			<-s.statusDone
			st := s.awaitExit()
			if st.Exit != tt.exit || st.Signal != tt.signal || st.lost != tt.lost || s.saidDone.Load() != tt.saidDone {
				t.Fatalf("status %+v saidDone %v; want exit %d signal %d lost %v saidDone %v",
					st, s.saidDone.Load(), tt.exit, tt.signal, tt.lost, tt.saidDone)
			}
		})
	}
}
