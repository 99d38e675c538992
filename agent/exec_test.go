package main

import (
	"bytes"
	"io"
	"os"
	"slices"
	"testing"
)

func TestMergeEnv(t *testing.T) {
	tests := []struct {
		name  string
		base  []string
		extra map[string]string
		want  []string
	}{
		{"nothing", nil, nil, []string{}},
		{"base only, sorted", []string{"Z=1", "A=2", "M=3"}, nil, []string{"A=2", "M=3", "Z=1"}},
		{"override", []string{"PATH=/bin", "HOME=/root"}, map[string]string{"PATH": "/opt/bin"},
			[]string{"HOME=/root", "PATH=/opt/bin"}},
		{"append", []string{"HOME=/root"}, map[string]string{"LANG": "C.UTF-8", "A": "x"},
			[]string{"A=x", "HOME=/root", "LANG=C.UTF-8"}},
		{"override with empty", []string{"DEBUG=1"}, map[string]string{"DEBUG": ""}, []string{"DEBUG="}},
		// Only the first '=' splits: the rest is the value.
		{"value with =", []string{"OPTS=a=b=c"}, nil, []string{"OPTS=a=b=c"}},
		{"entry without =", []string{"JUNK", "A=1"}, nil, []string{"A=1"}},
		{"sort by whole entry", []string{"A_B=1", "A=2", "AB=3"}, nil, []string{"A=2", "AB=3", "A_B=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mergeEnv(tt.base, tt.extra); !slices.Equal(got, tt.want) {
				t.Fatalf("mergeEnv = %q, want %q", got, tt.want)
			}
		})
	}
}

// A command must see one value per name: with several, programs disagree on which one counts.
func TestMergeEnvOneEntryPerName(t *testing.T) {
	got := mergeEnv([]string{"X=1", "Y=0", "X=2"}, map[string]string{"Y": "9"})
	if len(got) != 2 || got[1] != "Y=9" || (got[0] != "X=1" && got[0] != "X=2") {
		t.Fatalf("mergeEnv = %q, want one X and Y=9", got)
	}
}

func TestStdinQueue(t *testing.T) {
	tests := []struct {
		name   string
		pushes [][]byte
		want   string
	}{
		{"chunks in order, then the end", [][]byte{[]byte("ab"), []byte("cd"), {}}, "abcd"},
		{"nothing", [][]byte{{}}, ""},
		{"after the end, ignored", [][]byte{[]byte("a"), {}, []byte("late")}, "a"},
		// Past the bound the input is cut, not queued: what came before still arrives.
		{"past the bound", [][]byte{[]byte("a"), make([]byte, maxQueuedStdin+1), []byte("b")}, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			q := newStdinQueue(w)
			for _, b := range tt.pushes {
				q.push(b)
			}
			got, err := io.ReadAll(r) // EOF only once the queue closed the pipe
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, []byte(tt.want)) {
				t.Fatalf("command read %q, want %q", got, tt.want)
			}
		})
	}
}
