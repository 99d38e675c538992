package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// header builds a raw header, so that tests can say things encode never would.
func header(m string, typ byte, id uint64, n uint32) []byte {
	b := make([]byte, headerSize)
	copy(b, m)
	b[3] = typ
	binary.BigEndian.PutUint64(b[4:12], id)
	binary.BigEndian.PutUint32(b[12:16], n)
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestEncodeLayout(t *testing.T) {
	got := encode(frame{typ: tCall, id: 0x0102030405060708, payload: []byte("hi")})
	want := cat([]byte("SBX"), []byte{tCall, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 2}, []byte("hi"))
	if !bytes.Equal(got, want) {
		t.Fatalf("encode = %x, want %x", got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	frames := []frame{
		{typ: tHello, id: 1, payload: []byte{}},
		{typ: tStdin, id: 1<<64 - 1, payload: []byte("SBX inside a payload is data")},
		{typ: tStdout, id: 7, payload: bytes.Repeat([]byte{0xAB}, maxPayload)},
		{typ: 0xFF, id: 0, payload: []byte{0}},
	}
	var stream []byte
	for _, f := range frames {
		stream = append(stream, encode(f)...)
	}
	// Whole, and one byte per read: frames must not depend on how the stream is cut.
	for name, src := range map[string]io.Reader{
		"whole":    bytes.NewReader(stream),
		"bytewise": iotest.OneByteReader(bytes.NewReader(stream)),
	} {
		t.Run(name, func(t *testing.T) {
			rd := newReader(src)
			for i, want := range frames {
				got, err := rd.next()
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if got.typ != want.typ || got.id != want.id || !bytes.Equal(got.payload, want.payload) {
					t.Fatalf("frame %d: got type %d id %d len %d, want type %d id %d len %d",
						i, got.typ, got.id, len(got.payload), want.typ, want.id, len(want.payload))
				}
			}
			if _, err := rd.next(); err != io.EOF {
				t.Fatalf("after the last frame: %v, want io.EOF", err)
			}
			if rd.skipped != 0 {
				t.Fatalf("skipped %d bytes of a clean stream", rd.skipped)
			}
		})
	}
}

func TestReaderResynchronises(t *testing.T) {
	good := encode(frame{typ: tHello, id: 42, payload: []byte("{}")})
	over := header("SBX", tStart, 1, maxPayload+1)
	tests := []struct {
		name    string
		junk    []byte
		skipped int64
	}{
		{"garbage", []byte("xyz"), 3},
		{"partial magics", []byte("SSBSB\x00SB"), 8},
		{"bad magic", header("SBY", tHello, 1, 0), headerSize},
		{"oversized length", over, headerSize},
		// Refused without reading it: its payload (no magic in it) is skipped as garbage.
		{"oversized frame", cat(over, make([]byte, maxPayload+1)), headerSize + maxPayload + 1},
		{"length past u32 sign", header("SBX", tHello, 1, 1<<31), headerSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd := newReader(bytes.NewReader(cat(tt.junk, good)))
			f, err := rd.next()
			if err != nil {
				t.Fatal(err)
			}
			if f.id != 42 || string(f.payload) != "{}" {
				t.Fatalf("got id %d payload %q, want the frame after the junk", f.id, f.payload)
			}
			if rd.skipped != tt.skipped {
				t.Fatalf("skipped %d, want %d", rd.skipped, tt.skipped)
			}
		})
	}
}

func TestReaderTruncated(t *testing.T) {
	tests := []struct {
		name   string
		stream []byte
		want   error // what errors.Is must match
	}{
		{"part of a header", []byte("SBX\x01\x00"), io.ErrUnexpectedEOF},
		{"garbage shorter than a header", []byte("garbage"), io.ErrUnexpectedEOF},
		{"header without payload", header("SBX", tStdin, 1, 10), io.EOF},
		{"payload cut short", cat(header("SBX", tStdin, 1, 10), []byte("abc")), io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newReader(bytes.NewReader(tt.stream)).next()
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			// serve takes a bare io.EOF for a clean end: a cut frame must not look like one.
			if err == io.EOF {
				t.Fatal("a truncated stream reads as a clean end")
			}
		})
	}
	if _, err := newReader(bytes.NewReader(nil)).next(); err != io.EOF {
		t.Fatalf("empty stream: %v, want io.EOF", err)
	}
}

func FuzzReader(f *testing.F) {
	good := encode(frame{typ: tHello, id: 1, payload: []byte("{}")})
	f.Add([]byte{})
	f.Add(good)
	f.Add(cat(good, good))
	f.Add(cat([]byte("junkSB"), good))
	f.Add(cat(header("SBX", tStart, 2, maxPayload+1), good))
	f.Add(cat(header("SBX", tStart, 2, 1<<32-1), []byte("SBX")))
	f.Add(cat(header("SBX", tStdin, 3, 5), []byte("ab")))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := newReader(bytes.NewReader(data))
		var used int64
		// Every frame takes at least a header: more calls than that means the reader is stuck.
		for i := 0; i <= len(data)/headerSize; i++ {
			fr, err := rd.next()
			if err != nil {
				if used+rd.skipped > int64(len(data)) {
					t.Fatalf("accounted for %d bytes of %d", used+rd.skipped, len(data))
				}
				return
			}
			if len(fr.payload) > maxPayload {
				t.Fatalf("frame with a %d-byte payload", len(fr.payload))
			}
			// The frame is the bytes right after what was consumed or skipped so far.
			at := used + rd.skipped
			enc := encode(fr)
			if at+int64(len(enc)) > int64(len(data)) || !bytes.Equal(data[at:at+int64(len(enc))], enc) {
				t.Fatalf("frame %+v is not the input at offset %d", fr, at)
			}
			used += int64(len(enc))
		}
		t.Fatalf("no error after %d frames from %d bytes", len(data)/headerSize+1, len(data))
	})
}
