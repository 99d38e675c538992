package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Frame types. Requests go from stepbox to the agent, the rest back; docs/agent-protocol.md has
// the whole protocol.
const (
	tHello  = 1  // request and reply: versions
	tStart  = 2  // request: start a command (JSON)
	tStdin  = 4  // request: bytes for the command's stdin; an empty payload is its end
	tStdout = 5  // reply: bytes the command wrote to stdout
	tStderr = 6  // reply: bytes the command wrote to stderr
	tExit   = 7  // reply: how the command ended (JSON); the last frame of its id
	tKill   = 8  // request: kill the command and everything it started
	tError  = 9  // reply: the request failed (JSON); the last frame of its id
	tCall   = 10 // request: a helper operation (JSON)
	tReply  = 11 // reply: the operation's result (JSON); the last frame of its id
)

const (
	protocolVersion = 1
	headerSize      = 16
	// maxPayload bounds one frame either way, so that no peer can make the other allocate more.
	maxPayload = 1 << 20
)

var magic = [3]byte{'S', 'B', 'X'}

type frame struct {
	typ     byte
	id      uint64
	payload []byte
}

// encode lays a frame out as magic, version, type, id, length and payload.
func encode(f frame) []byte {
	b := make([]byte, headerSize+len(f.payload))
	copy(b, magic[:])
	b[3] = f.typ
	binary.BigEndian.PutUint64(b[4:12], f.id)
	binary.BigEndian.PutUint32(b[12:16], uint32(len(f.payload)))
	copy(b[16:], f.payload)
	return b
}

// reader reads frames and skips what is not one: a peer that sent garbage loses those bytes, not
// the channel. skipped counts the bytes passed over.
type reader struct {
	r       *bufio.Reader
	skipped int64
}

func newReader(r io.Reader) *reader { return &reader{r: bufio.NewReaderSize(r, 64<<10)} }

var errTooLarge = errors.New("frame too large")

func (rd *reader) next() (frame, error) {
	for {
		head, err := rd.r.Peek(headerSize)
		if err != nil {
			if len(head) > 0 && err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return frame{}, err
		}
		if head[0] != magic[0] || head[1] != magic[1] || head[2] != magic[2] {
			rd.r.Discard(1)
			rd.skipped++
			continue
		}
		n := binary.BigEndian.Uint32(head[12:16])
		if n > maxPayload {
			// Not a frame we could have been sent: resynchronise after its magic.
			rd.r.Discard(1)
			rd.skipped++
			continue
		}
		f := frame{typ: head[3], id: binary.BigEndian.Uint64(head[4:12])}
		rd.r.Discard(headerSize)
		f.payload = make([]byte, n)
		if _, err := io.ReadFull(rd.r, f.payload); err != nil {
			return frame{}, fmt.Errorf("frame of %d bytes cut short: %w", n, err)
		}
		return f, nil
	}
}
