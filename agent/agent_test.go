package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testAgent is an agent without newAgent's goroutines: no reaper (it would wait for this test
// process's children) and no shims (they re-exec /proc/self/exe, here the test binary).
func testAgent() *agent {
	return &agent{out: make(chan []byte, 16), procs: map[uint64]*proc{}, shims: map[int]*shim{}}
}

// replies decodes what the agent has queued so far.
func (a *agent) replies(t *testing.T) []frame {
	t.Helper()
	var out []frame
	for {
		select {
		case b := <-a.out:
			f, err := newReader(bytes.NewReader(b)).next()
			if err != nil {
				t.Fatalf("the agent queued a bad frame: %v", err)
			}
			out = append(out, f)
		default:
			return out
		}
	}
}

func only(t *testing.T, a *agent, typ byte, id uint64) frame {
	t.Helper()
	fs := a.replies(t)
	if len(fs) != 1 || fs[0].typ != typ || fs[0].id != id {
		t.Fatalf("replies %+v, want one of type %d for id %d", fs, typ, id)
	}
	return fs[0]
}

func TestHandle(t *testing.T) {
	tests := []struct {
		name string
		in   frame
		typ  byte
		has  string // in the reply's payload
	}{
		{"hello", frame{typ: tHello, id: 3, payload: []byte("{}")}, tHello, `"protocol":1`},
		{"unknown type", frame{typ: 99, id: 4}, tError, "unknown frame type 99"},
		{"start, bad JSON", frame{typ: tStart, id: 5, payload: []byte("{")}, tError, "start:"},
		{"start, no argv", frame{typ: tStart, id: 6, payload: []byte(`{"argv":[]}`)}, tError, "argv must not be empty"},
		{"start, empty argv[0]", frame{typ: tStart, id: 7, payload: []byte(`{"argv":[""]}`)}, tError, "argv must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := testAgent()
			a.handle(tt.in)
			if f := only(t, a, tt.typ, tt.in.id); !strings.Contains(string(f.payload), tt.has) {
				t.Fatalf("reply %s, want %q in it", f.payload, tt.has)
			}
		})
	}
}

// STDIN and KILL for an id that runs nothing (it ended, or never started) are dropped quietly:
// the command's EXIT already said the last word.
func TestHandleUnknownIDs(t *testing.T) {
	a := testAgent()
	a.handle(frame{typ: tStdin, id: 8, payload: []byte("x")})
	a.handle(frame{typ: tKill, id: 8})
	if fs := a.replies(t); len(fs) != 0 {
		t.Fatalf("replies %+v, want none", fs)
	}
}

func TestCall(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	mustWrite(t, file, "content")
	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		payload string
		typ     byte
		want    string // the reply's payload, or part of an error's
	}{
		{"ping", `{"op":"ping"}`, tReply, `{"ok":true}`},
		{"readFile", `{"op":"readFile","path":"` + file + `"}`, tReply, `{"data":"Y29udGVudA==","mode":420}`},
		{"unknown op", `{"op":"format"}`, tError, `unknown operation \"format\"`},
		{"bad JSON", `{"op":`, tError, "call:"},
		{"op fails", `{"op":"list","path":"/no/such/dir"}`, tError, "list: open /no/such/dir"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := testAgent()
			a.call(11, []byte(tt.payload))
			f := only(t, a, tt.typ, 11)
			if !strings.Contains(string(f.payload), tt.want) || tt.typ == tReply && string(f.payload) != tt.want {
				t.Fatalf("reply %s, want %s", f.payload, tt.want)
			}
		})
	}
}

// A reply past the frame limit would make the client drop the whole channel (a directory of many
// fifos does it to scanFifos): it must come as an ERROR of its id instead.
func TestSendJSONPastTheLimit(t *testing.T) {
	a := testAgent()
	a.sendJSON(tReply, 12, map[string]string{"big": strings.Repeat("x", maxPayload)})
	f := only(t, a, tError, 12)
	var e struct{ Error string }
	if err := json.Unmarshal(f.payload, &e); err != nil || !strings.Contains(e.Error, "frame limit") {
		t.Fatalf("error reply %s (%v)", f.payload, err)
	}

	a.sendJSON(tReply, 13, map[string]string{"big": strings.Repeat("x", maxPayload-len(`{"big":""}`))})
	if f := only(t, a, tReply, 13); len(f.payload) != maxPayload {
		t.Fatalf("reply of %d bytes, want %d", len(f.payload), maxPayload)
	}
}

func TestServe(t *testing.T) {
	a := testAgent()
	in := cat([]byte("noise"), encode(frame{typ: tHello, id: 1}), []byte("SBY"),
		encode(frame{typ: 42, id: 2}), encode(frame{typ: tHello, id: 3}))
	a.serve(bytes.NewReader(in)) // returns at the end of its input
	fs := a.replies(t)
	if len(fs) != 3 || fs[0].typ != tHello || fs[0].id != 1 || fs[1].typ != tError || fs[1].id != 2 ||
		fs[2].typ != tHello || fs[2].id != 3 {
		t.Fatalf("replies %+v, want HELLO 1, ERROR 2, HELLO 3", fs)
	}
	var hello struct {
		Protocol int
		Agent    string
	}
	if err := json.Unmarshal(fs[0].payload, &hello); err != nil || hello.Protocol != protocolVersion || hello.Agent != version {
		t.Fatalf("hello %s (%v)", fs[0].payload, err)
	}
}
