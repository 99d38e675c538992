package main

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func mustWrite(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustMkfifo(t *testing.T, path string, mode uint32) {
	t.Helper()
	if err := syscall.Mkfifo(path, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, os.FileMode(mode)); err != nil { // past the umask
		t.Fatal(err)
	}
}

func mustSymlink(t *testing.T, target, path string) {
	t.Helper()
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestEmptyDir(t *testing.T) {
	d := t.TempDir()
	dir, outside := filepath.Join(d, "tmp"), filepath.Join(d, "outside")
	mustWrite(t, filepath.Join(outside, "keep"), "precious")
	mustWrite(t, filepath.Join(outside, "sub", "keep"), "precious")
	mustWrite(t, filepath.Join(dir, "file"), "x")
	mustWrite(t, filepath.Join(dir, ".hidden"), "x")
	mustWrite(t, filepath.Join(dir, "a", "b", "c"), "x")
	// Planted links, to the outside and through a directory below: none may be followed.
	mustSymlink(t, outside, filepath.Join(dir, "linkdir"))
	mustSymlink(t, filepath.Join(outside, "keep"), filepath.Join(dir, "linkfile"))
	mustSymlink(t, "../../outside", filepath.Join(dir, "a", "up"))
	mustSymlink(t, "nowhere", filepath.Join(dir, "dangling"))
	mustMkfifo(t, filepath.Join(dir, "fifo"), 0o600)

	if err := emptyDir(dir); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Fatalf("left %v", got)
	}
	for _, p := range []string{"keep", "sub/keep"} {
		if b, err := os.ReadFile(filepath.Join(outside, p)); err != nil || string(b) != "precious" {
			t.Fatalf("outside/%s: %q, %v", p, b, err)
		}
	}
}

func TestEmptyDirNotADirectory(t *testing.T) {
	d := t.TempDir()
	outside := filepath.Join(d, "outside")
	mustWrite(t, filepath.Join(outside, "keep"), "precious")
	// /tmp itself replaced by a symlink: not followed, and not an error either.
	mustSymlink(t, outside, filepath.Join(d, "tmp"))
	mustWrite(t, filepath.Join(d, "file"), "x")
	for _, p := range []string{"tmp", "file", "missing"} {
		if err := emptyDir(filepath.Join(d, p)); err != nil {
			t.Fatalf("emptyDir(%s): %v", p, err)
		}
	}
	if got := names(t, outside); !slices.Equal(got, []string{"keep"}) {
		t.Fatalf("outside holds %v after emptying a link to it", got)
	}
	if _, err := os.Stat(filepath.Join(d, "file")); err != nil {
		t.Fatal("a file passed as the dir was touched:", err)
	}
}

func TestReadFile(t *testing.T) {
	d := t.TempDir()
	j := func(p string) string { return filepath.Join(d, p) }
	mustWrite(t, j("small"), "hello")
	if err := os.Chmod(j("small"), 0o640); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, j("limit"), strings.Repeat("x", maxFileBytes))
	mustWrite(t, j("over"), strings.Repeat("x", maxFileBytes+1))
	mustWrite(t, j("empty"), "")
	mustSymlink(t, j("small"), j("link"))
	mustMkfifo(t, j("fifo"), 0o644)
	tests := []struct {
		name string
		path string
		max  int64
		size int    // on success
		err  string // else
	}{
		{"small", j("small"), 0, 5, ""},
		{"empty", j("empty"), 0, 0, ""},
		{"exactly max", j("small"), 5, 5, ""},
		{"past max", j("small"), 4, 0, "more than the 4"},
		{"default max is the limit", j("limit"), 0, maxFileBytes, ""},
		{"past the limit", j("over"), 0, 0, "more than the 524288"},
		{"max above the limit is clamped", j("over"), 10 * maxFileBytes, 0, "more than the 524288"},
		{"negative max is the limit", j("limit"), -1, maxFileBytes, ""},
		{"symlink refused", j("link"), 0, 0, "too many levels of symbolic links"},
		// A fifo must be refused, not block the call until some writer comes.
		{"fifo", j("fifo"), 0, 0, "not a regular file"},
		{"directory", d, 0, 0, "not a regular file"},
		{"missing", j("missing"), 0, 0, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := readFile(tt.path, tt.max)
			if wantErr(t, err, tt.err) {
				return
			}
			m := res.(map[string]any)
			if data := m["data"].([]byte); len(data) != tt.size {
				t.Fatalf("read %d bytes, want %d", len(data), tt.size)
			}
		})
	}
	res, _ := readFile(j("small"), 0)
	if m := res.(map[string]any); string(m["data"].([]byte)) != "hello" || m["mode"] != uint32(0o640) {
		t.Fatalf("readFile(small) = %v", m)
	}
}

func TestWriteFile(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
	d := t.TempDir()
	j := func(p string) string { return filepath.Join(d, p) }
	mustWrite(t, j("long"), "a much longer old content")
	mustWrite(t, j("target"), "precious")
	mustSymlink(t, j("target"), j("link"))
	if err := syscall.Mkfifo(j("fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(j("dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		mode uint32
		perm os.FileMode // on success
		err  string      // else
	}{
		// A planted fifo with no reader must fail at once: a blocking open would hang the call.
		{"fifo refused, not waited on", j("fifo"), 0, 0, "no such device or address"},
		{"directory refused", j("dir"), 0, 0, "is a directory"},
		{"default mode", j("new"), 0, 0o644, ""},
		{"given mode", j("secret"), 0o600, 0o600, ""},
		{"special bits dropped", j("suid"), 0o4755, 0o755, ""},
		{"truncates, keeps mode", j("long"), 0o600, 0o644, ""},
		{"symlink refused", j("link"), 0, 0, "too many levels of symbolic links"},
		{"missing dir", j("no/such"), 0, 0, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := writeFile(tt.path, []byte("data"), tt.mode)
			if wantErr(t, err, tt.err) {
				return
			}
			if res.(map[string]any)["size"] != 4 {
				t.Fatalf("reply %v, want size 4", res)
			}
			b, _ := os.ReadFile(tt.path)
			fi, _ := os.Lstat(tt.path)
			if string(b) != "data" || fi.Mode() != tt.perm {
				t.Fatalf("file holds %q mode %v, want \"data\" %v", b, fi.Mode(), tt.perm)
			}
		})
	}
	if b, _ := os.ReadFile(j("target")); string(b) != "precious" {
		t.Fatalf("the symlink's target now holds %q", b)
	}
}

func TestList(t *testing.T) {
	d := t.TempDir()
	j := func(p string) string { return filepath.Join(d, p) }
	mustWrite(t, j("file"), "12345")
	if err := os.Chmod(j("file"), os.ModeSetuid|0o751); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(j("dir"), 0o700); err != nil {
		t.Fatal(err)
	}
	mustSymlink(t, "no/such/target", j("link"))
	mustMkfifo(t, j("fifo"), 0o600)
	l, err := net.Listen("unix", j("sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	mtime := time.Unix(1700000000, 123456789)
	if err := os.Chtimes(j("file"), mtime, mtime); err != nil {
		t.Fatal(err)
	}

	res, err := list(d)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]fileEntry{}
	for _, e := range res.([]fileEntry) {
		got[e.Name] = e
	}
	want := map[string]string{"file": "file", "dir": "dir", "link": "symlink", "fifo": "fifo", "sock": "socket"}
	if len(got) != len(want) {
		t.Fatalf("listed %v", got)
	}
	for n, typ := range want {
		if got[n].Type != typ {
			t.Errorf("%s: type %q, want %q", n, got[n].Type, typ)
		}
	}
	f := got["file"]
	if f.Size != 5 || f.Mode != 0o4751 || f.UID != os.Getuid() || f.Mtime != mtime.UnixNano() {
		t.Errorf("file entry %+v", f)
	}
	if got["dir"].Mode != 0o700 || got["link"].Link != "no/such/target" || got["file"].Link != "" {
		t.Errorf("entries %+v", got)
	}

	for _, p := range []string{j("missing"), j("file")} {
		if _, err := list(p); err == nil {
			t.Errorf("list(%s) gave no error", p)
		}
	}
}

func TestScanFifos(t *testing.T) {
	d := t.TempDir()
	j := func(p string) string { return filepath.Join(d, p) }
	for _, p := range []string{"w", "w/sub", "other"} {
		if err := os.MkdirAll(j(p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mustMkfifo(t, j("w/f1"), 0o640)
	mustMkfifo(t, j("w/sub/deep"), 0o600)   // not directly in a dir asked for
	mustMkfifo(t, j("other/behind"), 0o600) // only reachable through a link
	mustWrite(t, j("w/plain"), "x")
	mustSymlink(t, j("other"), j("linked"))
	mustSymlink(t, j("w/f1"), j("w/fifolink"))
	mtime := time.Unix(1600000000, 42)
	if err := os.Chtimes(j("w/f1"), mtime, mtime); err != nil {
		t.Fatal(err)
	}

	res, err := scanFifos([]string{j("w"), j("w") + "/", j("w/../w"), j("linked"), "relative", "", j("missing")})
	if err != nil {
		t.Fatal(err)
	}
	var mine []fifoEntry
	for _, f := range res {
		if strings.HasPrefix(f.Path, d+"/") {
			mine = append(mine, f)
		}
	}
	want := fifoEntry{Path: j("w/f1"), Mode: 0o640, UID: os.Getuid(), GID: os.Getgid(), Sec: 1600000000, Nsec: 42}
	if len(mine) != 1 || mine[0] != want {
		t.Fatalf("scanFifos = %+v, want only %+v", mine, want)
	}
}

func TestMakeFifos(t *testing.T) {
	d := t.TempDir()
	want := []fifoEntry{
		{Path: filepath.Join(d, "a"), Mode: 0o640, UID: os.Getuid(), GID: os.Getgid(), Sec: 1600000000, Nsec: 7},
		{Path: filepath.Join(d, "b"), Mode: 0o1777, UID: os.Getuid(), GID: os.Getgid(), Sec: 1, Nsec: 0},
	}
	res, err := makeFifos(want)
	if err != nil {
		t.Fatal(err)
	}
	if res.(map[string]any)["made"] != 2 {
		t.Fatalf("reply %v", res)
	}
	// What makeFifos made, scanFifos reads back the same: a snapshot restores them whole.
	got, err := scanFifos([]string{d})
	if err != nil {
		t.Fatal(err)
	}
	var mine []fifoEntry
	for _, f := range got {
		if filepath.Dir(f.Path) == d {
			mine = append(mine, f)
		}
	}
	slices.SortFunc(mine, func(a, b fifoEntry) int { return strings.Compare(a.Path, b.Path) })
	if !slices.Equal(mine, want) {
		t.Fatalf("read back %+v, want %+v", mine, want)
	}

	for _, p := range []string{"relative", d + "/x/../c", d + "/c/", filepath.Join(d, "a")} {
		if _, err := makeFifos([]fifoEntry{{Path: p, Mode: 0o600, UID: os.Getuid(), GID: os.Getgid()}}); err == nil {
			t.Errorf("makeFifos(%q) gave no error", p)
		}
	}
}

func TestModeBitsAndFileType(t *testing.T) {
	bits := map[uint32]os.FileMode{
		0o755:  0,
		0o4000: os.ModeSetuid,
		0o2000: os.ModeSetgid,
		0o1000: os.ModeSticky,
		0o7777: os.ModeSetuid | os.ModeSetgid | os.ModeSticky,
	}
	for m, want := range bits {
		if got := modeBits(m); got != want {
			t.Errorf("modeBits(%o) = %v, want %v", m, got, want)
		}
	}
	types := map[uint32]string{
		syscall.S_IFREG | 0o644: "file", syscall.S_IFDIR: "dir", syscall.S_IFLNK: "symlink",
		syscall.S_IFIFO: "fifo", syscall.S_IFSOCK: "socket", syscall.S_IFCHR: "device", syscall.S_IFBLK: "device",
	}
	for m, want := range types {
		if got := fileType(m); got != want {
			t.Errorf("fileType(%o) = %q, want %q", m, got, want)
		}
	}
}

// wantErr fails the test unless err is what want asks for: an error containing want, or none when
// want is empty. True when an error was expected (the case ends there).
func wantErr(t *testing.T, err error, want string) bool {
	t.Helper()
	if want != "" {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("err = %v, want one with %q", err, want)
		}
		return true
	}
	if err != nil {
		t.Fatal(err)
	}
	return false
}
