package cmd

import (
	"os"
	"path/filepath"
	"testing"
)

func TestByteSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1048576", 1 << 20, true},
		{"512Ki", 512 << 10, true},
		{"64Mi", 64 << 20, true},
		{"2Gi", 2 << 30, true},
		{"5M", 5e6, true},
		{"0", 0, false},
		{"-1", 0, false},
		{"lots", 0, false},
		{"Mi", 0, false},
		{"99999999999Gi", 0, false},
	} {
		var b byteSize
		err := b.Set(tc.in)
		if (err == nil) != tc.ok || (tc.ok && int64(b) != tc.want) {
			t.Errorf("Set(%q) = %d, %v; want %d, ok=%v", tc.in, b, err, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct {
		n    byteSize
		want string
	}{{64 << 20, "64Mi"}, {1000, "1000"}, {2048, "2Ki"}, {3 << 30, "3Gi"}} {
		if got := tc.n.String(); got != tc.want {
			t.Errorf("String(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestWantColor(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	// A regular file is never a terminal, whatever the environment says.
	if wantColor(file, env(nil)) {
		t.Error("colour on a regular file")
	}
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no terminal to test with")
	}
	defer tty.Close()
	for _, tc := range []struct {
		vars map[string]string
		want bool
	}{
		{nil, true},
		{map[string]string{"NO_COLOR": "1"}, false},
		{map[string]string{"NO_COLOR": ""}, true},
		{map[string]string{"TERM": "dumb"}, false},
	} {
		if got := wantColor(tty, env(tc.vars)); got != tc.want {
			t.Errorf("wantColor(tty, %v) = %v, want %v", tc.vars, got, tc.want)
		}
	}
}
