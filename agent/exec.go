package main

import (
	"bufio"
	"encoding/json"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// execRequest is a START frame's payload.
type execRequest struct {
	Argv      []string          `json:"argv"`
	Env       map[string]string `json:"env"`
	Cwd       string            `json:"cwd"`
	Stdin     bool              `json:"stdin"`
	TimeoutMs int64             `json:"timeoutMs"`
	Nproc     int64             `json:"nproc"`
}

// exitReply is an EXIT frame's payload.
type exitReply struct {
	ExitCode int  `json:"exitCode"`
	Signal   int  `json:"signal,omitempty"`
	TimedOut bool `json:"timedOut,omitempty"`
	// Lost: the command's shim was killed (by the command itself) before it could report.
	Lost bool `json:"lost,omitempty"`
}

// idleShims is how many shims wait started, so that a command costs one fork and exec, not two.
const idleShims = 1

// proc is one running command.
type proc struct {
	id       uint64
	sh       *shim
	stdin    *stdinQueue
	timedOut atomic.Bool
	a        *agent
}

func (a *agent) start(id uint64, req execRequest) {
	if len(req.Argv) == 0 || req.Argv[0] == "" {
		a.fail(id, "start: argv must not be empty")
		return
	}
	a.mu.Lock()
	_, dup := a.procs[id]
	a.mu.Unlock()
	if dup {
		a.fail(id, "start: request id %d is already running", id)
		return
	}
	if req.Cwd == "" {
		req.Cwd, _ = os.Getwd()
	}
	b, _ := json.Marshal(shimRequest{Argv: req.Argv, Env: mergeEnv(os.Environ(), req.Env), Cwd: req.Cwd, Nproc: req.Nproc})
	b = append(b, '\n')
	var sh *shim
	for attempt := 0; sh == nil; attempt++ {
		s, err := a.take()
		if err != nil {
			a.fail(id, "start: %v", err)
			return
		}
		// An idle shim may have been killed by an earlier command (kill -9 -1): take another.
		if _, err := s.ctl.Write(b); err != nil {
			s.closeAll()
			if attempt >= 3 {
				a.fail(id, "start: no shim took the command: %v", err)
				return
			}
			continue
		}
		sh = s
	}
	p := &proc{id: id, sh: sh, a: a}
	a.mu.Lock()
	a.procs[id] = p
	a.mu.Unlock()
	if req.Stdin {
		p.stdin = newStdinQueue(sh.stdin)
	} else {
		sh.stdin.Close()
	}
	var drained sync.WaitGroup
	drained.Add(2)
	go a.pump(id, tStdout, sh.stdout, &drained)
	go a.pump(id, tStderr, sh.stderr, &drained)
	go p.wait(time.Duration(req.TimeoutMs)*time.Millisecond, &drained)
}

// wait reports the command's end once it has exited and its output is drained, like docker exec:
// a background process that keeps stdout open keeps the command running until the timeout.
func (p *proc) wait(timeout time.Duration, drained *sync.WaitGroup) {
	var timer *time.Timer
	if timeout > 0 {
		timer = time.AfterFunc(timeout, func() {
			p.timedOut.Store(true)
			p.kill()
		})
	}
	st := p.sh.awaitExit()
	drained.Wait()
	if timer != nil {
		timer.Stop()
	}
	r := exitReply{ExitCode: st.Exit, Signal: st.Signal, TimedOut: p.timedOut.Load(), Lost: st.lost}
	if st.lost {
		r.ExitCode = 137
	}
	p.a.mu.Lock()
	delete(p.a.procs, p.id)
	p.a.mu.Unlock()
	p.a.sendJSON(tExit, p.id, r)
	// The next shim starts only now: started beside the command, its fork and exec (and the Go
	// runtime's threads) competed with it for the sandbox's CPU and made every command slower.
	go p.a.refill()
}

// kill asks the shim to kill everything the command started; without a shim, the orphans go.
func (p *proc) kill() {
	if _, err := p.sh.ctl.Write([]byte("kill\n")); err != nil {
		p.a.killOrphans()
	}
}

func (a *agent) pump(id uint64, typ byte, r *os.File, done *sync.WaitGroup) {
	defer done.Done()
	defer r.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			a.send(typ, id, append([]byte(nil), buf[:n]...))
		}
		if err != nil {
			return
		}
	}
}

func mergeEnv(base []string, extra map[string]string) []string {
	m := map[string]string{}
	for _, kv := range base {
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				m[kv[:i]] = kv[i+1:]
				break
			}
		}
	}
	for k, v := range extra {
		m[k] = v
	}
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// stdinQueue feeds a command's stdin without ever blocking the channel's reading loop: a command
// that does not read its stdin must not stop the agent from hearing a kill.
type stdinQueue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	chunks [][]byte
	bytes  int
	closed bool
}

// maxQueuedStdin bounds what waits for a command that reads slowly; past it the input is cut.
const maxQueuedStdin = 64 << 20

func newStdinQueue(w *os.File) *stdinQueue {
	q := &stdinQueue{}
	q.cond = sync.NewCond(&q.mu)
	go q.run(w)
	return q
}

func (q *stdinQueue) push(b []byte) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	if len(b) == 0 || q.bytes+len(b) > maxQueuedStdin {
		if len(b) != 0 {
			logf("stdin past %d bytes queued: cut", maxQueuedStdin)
		}
		q.closed = true
	} else {
		q.chunks = append(q.chunks, b)
		q.bytes += len(b)
	}
	q.cond.Signal()
}

func (q *stdinQueue) run(w *os.File) {
	defer w.Close()
	for {
		q.mu.Lock()
		for len(q.chunks) == 0 && !q.closed {
			q.cond.Wait()
		}
		if len(q.chunks) == 0 {
			q.mu.Unlock()
			return
		}
		b := q.chunks[0]
		q.chunks = q.chunks[1:]
		q.bytes -= len(b)
		q.mu.Unlock()
		if _, err := w.Write(b); err != nil {
			q.mu.Lock()
			q.closed, q.chunks, q.bytes = true, nil, 0
			q.mu.Unlock()
			return
		}
	}
}

// shim is a started `stepbox-agent shim` process and the pipes to it and its command.
type shim struct {
	pid                   int
	ctl                   *os.File // agent -> shim: the request line, then "kill" lines
	status                *os.File // shim -> agent: JSON lines
	stdin                 *os.File
	stdout, stderr        *os.File
	exitKnown, statusDone chan struct{}
	st                    shimStatus
	saidDone              atomic.Bool
	reading               sync.Once
}

type shimStatus struct {
	Pid    int    `json:"pid,omitempty"`
	Exit   int    `json:"exit"`
	Signal int    `json:"signal,omitempty"`
	Done   bool   `json:"done,omitempty"`
	Error  string `json:"error,omitempty"`
	lost   bool
	exited bool
}

func (a *agent) startShim() (*shim, error) {
	var r, w [5]*os.File
	for i := range r {
		var err error
		if r[i], w[i], err = os.Pipe(); err != nil {
			for j := 0; j < i; j++ {
				r[j].Close()
				w[j].Close()
			}
			return nil, err
		}
	}
	// The shim's fds: 0 the command's stdin, 1 and 2 its output, 3 control, 4 status.
	child := []*os.File{r[0], w[1], w[2], r[3], w[4]}
	fds := make([]uintptr, len(child))
	for i, f := range child {
		fds[i] = f.Fd()
	}
	a.mu.Lock()
	pid, err := syscall.ForkExec("/proc/self/exe", []string{"stepbox-agent", "shim"},
		&syscall.ProcAttr{Dir: "/", Env: []string{}, Files: fds, Sys: &syscall.SysProcAttr{Setsid: true}})
	var s *shim
	if err == nil {
		s = &shim{pid: pid, stdin: w[0], stdout: r[1], stderr: r[2], ctl: w[3], status: r[4],
			exitKnown: make(chan struct{}), statusDone: make(chan struct{})}
		a.shims[pid] = s
	}
	a.mu.Unlock()
	for _, f := range child {
		f.Close()
	}
	if err != nil {
		for _, f := range []*os.File{w[0], r[1], r[2], w[3], r[4]} {
			f.Close()
		}
		return nil, err
	}
	go s.readStatus()
	return s, nil
}

// readStatus reads the shim's reports until it closes them, by exiting.
func (s *shim) readStatus() {
	defer close(s.statusDone)
	sc := bufio.NewScanner(s.status)
	sc.Buffer(make([]byte, 4096), 4096)
	for sc.Scan() {
		var m shimStatus
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		switch {
		case m.Done:
			s.saidDone.Store(true)
		case m.Pid == 0 && !s.st.exited:
			s.st.Exit, s.st.Signal, s.st.exited = m.Exit, m.Signal, true
			close(s.exitKnown)
		}
	}
	s.status.Close()
	if !s.st.exited {
		s.st.lost, s.st.exited = true, true
		close(s.exitKnown)
	}
}

func (s *shim) awaitExit() shimStatus {
	<-s.exitKnown
	return s.st
}

// exited runs when the agent reaped the shim. A shim that ended without saying it was done was
// killed: its command's processes are now the agent's orphans, and they go too.
func (s *shim) exited(a *agent) {
	<-s.statusDone
	s.ctl.Close()
	a.mu.Lock()
	for i, t := range a.idle {
		if t == s {
			a.idle = append(a.idle[:i], a.idle[i+1:]...)
			s.closeAll()
			break
		}
	}
	a.mu.Unlock()
	if !s.saidDone.Load() {
		a.killOrphans()
	}
}

func (a *agent) take() (*shim, error) {
	a.mu.Lock()
	if n := len(a.idle); n > 0 {
		s := a.idle[n-1]
		a.idle = a.idle[:n-1]
		a.mu.Unlock()
		return s, nil
	}
	a.mu.Unlock()
	return a.startShim()
}

func (a *agent) refill() {
	a.refilling.Lock()
	defer a.refilling.Unlock()
	for {
		a.mu.Lock()
		short := len(a.idle) < idleShims
		a.mu.Unlock()
		if !short {
			return
		}
		s, err := a.startShim()
		if err != nil {
			logf("starting a shim: %v", err)
			return
		}
		a.mu.Lock()
		a.idle = append(a.idle, s)
		a.mu.Unlock()
	}
}

// closeAll closes the agent's ends of a shim that never ran a command.
func (s *shim) closeAll() {
	for _, f := range []*os.File{s.ctl, s.stdin, s.stdout, s.stderr} {
		f.Close()
	}
}
