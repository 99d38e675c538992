package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

// shimRequest is the one line a shim reads on fd 3 before it starts its command.
type shimRequest struct {
	Argv  []string `json:"argv"`
	Env   []string `json:"env"`
	Cwd   string   `json:"cwd"`
	Nproc int64    `json:"nproc"`
}

const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// runShim is `stepbox-agent shim`: the parent of one command and the subreaper of everything the
// command starts, so that processes which leave its session (setsid) or lose their parent still
// have the shim as an ancestor, and a kill reaches them all. It exits when none is left.
func runShim() int {
	prctl(prSetChildSubreaper, 1)
	prctl(syscall.PR_SET_DUMPABLE, 0)
	syscall.CloseOnExec(3)
	syscall.CloseOnExec(4)
	ctl := bufio.NewReaderSize(os.NewFile(3, "ctl"), 64<<10)
	status := os.NewFile(4, "status")
	report := func(v any) {
		b, _ := json.Marshal(v)
		status.Write(append(b, '\n'))
	}
	line, err := ctl.ReadBytes('\n')
	if err != nil {
		return 0 // let go unused
	}
	var req shimRequest
	if err := json.Unmarshal(line, &req); err != nil || len(req.Argv) == 0 {
		fmt.Fprintf(os.Stderr, "stepbox: bad request from the agent\n")
		report(map[string]any{"exit": 126})
		report(map[string]any{"done": true})
		return 0
	}
	pid, code, msg := startCommand(req)
	if pid == 0 {
		fmt.Fprintf(os.Stderr, "stepbox: %s\n", msg)
		report(map[string]any{"exit": code})
		report(map[string]any{"done": true})
		return 0
	}
	report(map[string]any{"pid": pid})
	// Only the command and what it starts may hold its pipes: EOF then means they all closed them.
	if null, err := syscall.Open("/dev/null", syscall.O_RDWR, 0); err == nil {
		for fd := 0; fd < 3; fd++ {
			syscall.Dup3(null, fd, 0)
		}
		syscall.Close(null)
	}
	go func() {
		for {
			l, err := ctl.ReadString('\n')
			if err != nil {
				return
			}
			if strings.TrimSpace(l) == "kill" {
				killTree(os.Getpid())
			}
		}
	}()
	for {
		var ws syscall.WaitStatus
		wpid, err := syscall.Wait4(-1, &ws, 0, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			break // ECHILD: nothing left
		}
		if wpid == pid {
			switch {
			case ws.Exited():
				report(map[string]any{"exit": ws.ExitStatus()})
			case ws.Signaled():
				report(map[string]any{"exit": 128 + int(ws.Signal()), "signal": int(ws.Signal())})
			}
		}
	}
	report(map[string]any{"done": true})
	return 0
}

// startCommand starts argv in its own session; without a pid it returns the shell's exit code for
// the failure (127 not found, 126 not runnable) and a message.
func startCommand(req shimRequest) (int, int, string) {
	if fi, err := os.Stat(req.Cwd); err != nil || !fi.IsDir() {
		return 0, 126, fmt.Sprintf("workdir %s: not a directory in the sandbox", req.Cwd)
	}
	path, ok := lookPath(req.Argv[0], envValue(req.Env, "PATH", defaultPath), req.Cwd)
	if !ok {
		return 0, 127, fmt.Sprintf("%s: command not found", req.Argv[0])
	}
	if req.Nproc > 0 {
		lim := syscall.Rlimit{Cur: uint64(req.Nproc), Max: uint64(req.Nproc)}
		syscall.RawSyscall6(syscall.SYS_PRLIMIT64, 0, 6 /* RLIMIT_NPROC */, uintptr(unsafe.Pointer(&lim)), 0, 0, 0)
	}
	pid, err := syscall.ForkExec(path, req.Argv, &syscall.ProcAttr{
		Dir: req.Cwd, Env: req.Env, Files: []uintptr{0, 1, 2},
		Sys: &syscall.SysProcAttr{Setsid: true},
	})
	if err != nil {
		if err == syscall.ENOENT {
			return 0, 127, fmt.Sprintf("%s: %v", req.Argv[0], err)
		}
		return 0, 126, fmt.Sprintf("%s: %v", req.Argv[0], err)
	}
	return pid, 0, ""
}

func lookPath(name, path, cwd string) (string, bool) {
	if strings.Contains(name, "/") {
		return name, true // exec reports what is wrong with it
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if !filepath.IsAbs(p) {
			p = filepath.Join(cwd, p)
		}
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, true
		}
	}
	return "", false
}

func envValue(env []string, name, fallback string) string {
	for _, kv := range env {
		if strings.HasPrefix(kv, name+"=") {
			return kv[len(name)+1:]
		}
	}
	return fallback
}

// killTree kills every descendant of root until none is left. Under a subreaper every process the
// command started stays a descendant, whatever sessions or groups it made, so repeating the scan
// catches forks that raced the previous round.
func killTree(root int) {
	for round := 0; round < 10000; round++ {
		kids := descendants(listProcs(), root)
		if len(kids) == 0 {
			return
		}
		for _, pid := range kids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(time.Millisecond) // let the killed go before the next scan
	}
}
