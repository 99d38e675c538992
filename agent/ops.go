package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"syscall"
	"time"
)

// callRequest is a CALL frame's payload: the operation and its arguments.
type callRequest struct {
	Op    string      `json:"op"`
	Dirs  []string    `json:"dirs,omitempty"`
	Fifos []fifoEntry `json:"fifos,omitempty"`
	Path  string      `json:"path,omitempty"`
	Data  []byte      `json:"data,omitempty"` // base64 in JSON
	Mode  uint32      `json:"mode,omitempty"`
	Max   int64       `json:"max,omitempty"`
}

type fifoEntry struct {
	Path string `json:"path"`
	Mode uint32 `json:"mode"`
	UID  int    `json:"uid"`
	GID  int    `json:"gid"`
	Sec  int64  `json:"sec"`
	Nsec int64  `json:"nsec"`
}

type fileEntry struct {
	Name  string `json:"name"`
	Type  string `json:"type"` // file, dir, symlink, fifo, socket, device
	Mode  uint32 `json:"mode"`
	Size  int64  `json:"size"`
	UID   int    `json:"uid"`
	GID   int    `json:"gid"`
	Mtime int64  `json:"mtimeNs"`
	Link  string `json:"link,omitempty"`
}

// maxFileBytes bounds what one readFile or writeFile carries in one frame.
const maxFileBytes = 512 << 10

func (a *agent) call(id uint64, payload []byte) {
	var req callRequest
	if err := json.Unmarshal(payload, &req); err != nil {
		a.fail(id, "call: %v", err)
		return
	}
	var res any
	var err error
	switch req.Op {
	case "ping":
		res = map[string]any{"ok": true}
	case "ready":
		a.refill()
		res = map[string]any{"ok": true}
	case "settle":
		res, err = a.settle()
	case "scanFifos":
		res, err = scanFifos(req.Dirs)
	case "makeFifos":
		res, err = makeFifos(req.Fifos)
	case "readFile":
		res, err = readFile(req.Path, req.Max)
	case "writeFile":
		res, err = writeFile(req.Path, req.Data, req.Mode)
	case "list":
		res, err = list(req.Path)
	default:
		err = fmt.Errorf("unknown operation %q", req.Op)
	}
	if err != nil {
		a.fail(id, "%s: %v", req.Op, err)
		return
	}
	a.sendJSON(tReply, id, res)
}

// settle brings the sandbox to rest after a command: every process but the agent is killed (a
// restored sandbox would not have them, and they would change files while a snapshot reads them),
// and gVisor's in-memory /tmp and /dev/shm, which no snapshot carries, are emptied.
func (a *agent) settle() (any, error) {
	a.mu.Lock()
	idle := a.idle
	a.idle = nil
	a.mu.Unlock()
	for _, s := range idle {
		s.closeAll()
	}
	killed := killAll() - len(idle)
	if killed < 0 {
		killed = 0
	}
	var errs []error
	for _, d := range []string{"/tmp", "/dev/shm"} {
		if err := emptyDir(d); err != nil {
			errs = append(errs, err)
		}
	}
	go a.refill()
	return map[string]any{"killed": killed}, errors.Join(errs...)
}

// emptyDir removes what is in dir without following any symlink: dir itself must be a real
// directory, and what is below it is removed through a root that no name can leave.
func emptyDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() {
		return nil // nothing there, or a symlink planted in its place: not ours to follow
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	d, err := root.Open(".")
	if err != nil {
		return err
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := root.RemoveAll(n); err != nil {
			return err
		}
	}
	return nil
}

// scanFifos lists the fifos directly in dirs and in the working and home directories: gVisor may
// keep fifos in its own memory, where the host's layer never shows them.
func scanFifos(dirs []string) ([]fifoEntry, error) {
	wd, _ := os.Getwd()
	extra := []string{wd, os.Getenv("HOME"), "/root", "/home"}
	if homes, err := os.ReadDir("/home"); err == nil {
		for _, h := range homes {
			extra = append(extra, "/home/"+h.Name())
		}
	}
	seen := map[string]bool{}
	out := []fifoEntry{}
	for _, dir := range append(append([]string{}, dirs...), extra...) {
		if dir == "" || !path.IsAbs(dir) {
			continue
		}
		dir = path.Clean(dir)
		fi, err := os.Lstat(dir)
		if err != nil || !fi.IsDir() {
			continue // gone since, or a symlink: not followed
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.Type()&os.ModeNamedPipe == 0 {
				continue
			}
			p := path.Join(dir, e.Name())
			var st syscall.Stat_t
			if seen[p] || syscall.Lstat(p, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFIFO {
				continue
			}
			seen[p] = true
			out = append(out, fifoEntry{Path: p, Mode: st.Mode & 0o7777, UID: int(st.Uid), GID: int(st.Gid),
				Sec: st.Mtim.Sec, Nsec: st.Mtim.Nsec})
		}
	}
	return out, nil
}

// makeFifos makes fifos with their mode, owner and modification time.
func makeFifos(fifos []fifoEntry) (any, error) {
	for _, f := range fifos {
		if !path.IsAbs(f.Path) || path.Clean(f.Path) != f.Path {
			return nil, fmt.Errorf("%q: not a clean absolute path", f.Path)
		}
		if err := syscall.Mknod(f.Path, syscall.S_IFIFO|(f.Mode&0o777), 0); err != nil {
			return nil, fmt.Errorf("%s: %v", f.Path, err)
		}
		if err := os.Lchown(f.Path, f.UID, f.GID); err != nil {
			return nil, err
		}
		if err := os.Chmod(f.Path, os.FileMode(f.Mode&0o777)|modeBits(f.Mode)); err != nil {
			return nil, err
		}
		t := time.Unix(f.Sec, f.Nsec)
		if err := os.Chtimes(f.Path, t, t); err != nil {
			return nil, err
		}
	}
	return map[string]any{"made": len(fifos)}, nil
}

func modeBits(m uint32) os.FileMode {
	var out os.FileMode
	if m&0o4000 != 0 {
		out |= os.ModeSetuid
	}
	if m&0o2000 != 0 {
		out |= os.ModeSetgid
	}
	if m&0o1000 != 0 {
		out |= os.ModeSticky
	}
	return out
}

func readFile(p string, max int64) (any, error) {
	if max <= 0 || max > maxFileBytes {
		max = maxFileBytes
	}
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", p)
	}
	if fi.Size() > max {
		return nil, fmt.Errorf("%s holds %d bytes, more than the %d one read returns", p, fi.Size(), max)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s grew past %d bytes while read", p, max)
	}
	return map[string]any{"data": b, "mode": uint32(fi.Mode().Perm())}, nil
}

func writeFile(p string, data []byte, mode uint32) (any, error) {
	if mode == 0 {
		mode = 0o644
	}
	// O_NONBLOCK: a fifo planted at the path must fail the call, not hang it until a reader comes.
	// Truncated only once known to be a regular file.
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, os.FileMode(mode&0o777))
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = fmt.Errorf("%s is not a regular file", p)
		}
		return nil, err
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	return map[string]any{"size": len(data)}, f.Close()
}

func list(p string) (any, error) {
	d, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	out := make([]fileEntry, 0, len(names))
	for _, n := range names {
		var st syscall.Stat_t
		full := path.Join(p, n)
		if syscall.Lstat(full, &st) != nil {
			continue
		}
		e := fileEntry{Name: n, Mode: st.Mode & 0o7777, Size: st.Size, UID: int(st.Uid), GID: int(st.Gid),
			Mtime: st.Mtim.Sec*1e9 + st.Mtim.Nsec, Type: fileType(st.Mode)}
		if e.Type == "symlink" {
			e.Link, _ = os.Readlink(full)
		}
		out = append(out, e)
	}
	return out, nil
}

func fileType(m uint32) string {
	switch m & syscall.S_IFMT {
	case syscall.S_IFREG:
		return "file"
	case syscall.S_IFDIR:
		return "dir"
	case syscall.S_IFLNK:
		return "symlink"
	case syscall.S_IFIFO:
		return "fifo"
	case syscall.S_IFSOCK:
		return "socket"
	default:
		return "device"
	}
}
