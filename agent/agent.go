package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// agent serves one channel: it reads requests, runs them, and writes every reply through one
// writer so that frames never interleave.
type agent struct {
	out   chan []byte
	mu    sync.Mutex
	procs map[uint64]*proc // commands by request id
	shims map[int]*shim    // every live shim by pid, idle or running
	idle  []*shim          // started shims waiting for a command
	// refilling lets one refill run at a time, so that two at once do not start a shim each.
	refilling sync.Mutex
}

func newAgent(w io.Writer) *agent {
	a := &agent{out: make(chan []byte, 64), procs: map[uint64]*proc{}, shims: map[int]*shim{}}
	signal.Ignore(syscall.SIGPIPE)
	go func() {
		for b := range a.out {
			if _, err := w.Write(b); err != nil {
				// Nobody reads (the worker is gone): drop replies rather than block the commands.
				continue
			}
		}
	}()
	go a.reap()
	go a.refill()
	return a
}

func (a *agent) send(typ byte, id uint64, payload []byte) {
	a.out <- encode(frame{typ: typ, id: id, payload: payload})
}

func (a *agent) sendJSON(typ byte, id uint64, v any) {
	b, err := json.Marshal(v)
	if err == nil && len(b) > maxPayload {
		// A longer frame is one the client must refuse, and with it the whole channel.
		err = fmt.Errorf("the reply of %d bytes is past the %d-byte frame limit", len(b), maxPayload)
	}
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
		typ = tError
	}
	a.send(typ, id, b)
}

func (a *agent) fail(id uint64, format string, args ...any) {
	a.sendJSON(tError, id, map[string]string{"error": fmt.Sprintf(format, args...)})
}

func (a *agent) serve(in io.Reader) {
	rd := newReader(in)
	reported := int64(0)
	for {
		f, err := rd.next()
		if rd.skipped > reported {
			logf("skipped %d bytes that were not frames", rd.skipped-reported)
			reported = rd.skipped
		}
		if err != nil {
			if err != io.EOF {
				logf("channel: %v", err)
			}
			return
		}
		a.handle(f)
	}
}

func (a *agent) handle(f frame) {
	switch f.typ {
	case tHello:
		a.sendJSON(tHello, f.id, map[string]any{"protocol": protocolVersion, "agent": version})
	case tStart:
		var req execRequest
		if err := json.Unmarshal(f.payload, &req); err != nil {
			a.fail(f.id, "start: %v", err)
			return
		}
		a.start(f.id, req)
	case tStdin:
		if p := a.proc(f.id); p != nil {
			p.stdin.push(f.payload)
		}
	case tKill:
		if p := a.proc(f.id); p != nil {
			p.kill()
		}
	case tCall:
		// Calls may take a while (settle, a large listing): off the reading loop.
		go a.call(f.id, f.payload)
	default:
		a.fail(f.id, "unknown frame type %d (this agent speaks protocol %d)", f.typ, protocolVersion)
	}
}

func (a *agent) proc(id uint64) *proc {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.procs[id]
}

// reap waits for every child: shims, and processes orphaned when a shim died.
func (a *agent) reap() {
	sig := make(chan os.Signal, 16)
	signal.Notify(sig, syscall.SIGCHLD)
	for {
		for {
			var ws syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
			if err == syscall.EINTR {
				continue
			}
			if pid <= 0 || err != nil {
				break
			}
			a.mu.Lock()
			s := a.shims[pid]
			delete(a.shims, pid)
			a.mu.Unlock()
			if s != nil {
				go s.exited(a)
			}
		}
		<-sig
	}
}
