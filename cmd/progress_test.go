package cmd

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// On a terminal a long compile draws a progress line on standard error and erases it before
// the summary; -q draws nothing and prints no summary; standard output never carries either.
func TestCompileProgress(t *testing.T) {
	defer func(d, e time.Duration) { progressDelay, progressEvery = d, e }(progressDelay, progressEvery)
	progressDelay, progressEvery = 0, time.Millisecond
	for _, tc := range []struct {
		name          string
		terminal      bool
		args          []string
		line, summary bool
	}{
		{"terminal", true, nil, true, true},
		{"piped", false, nil, false, true},
		{"quiet", true, []string{"-q"}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"compile", "-f", filepath.Join("..", "examples", "global-app"), "--out-dir", filepath.Join(t.TempDir(), "out")}, tc.args...)
			if code := run(args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, progress: tc.terminal}); code != exitOK {
				t.Fatalf("exit code %d: %s", code, errOut.String())
			}
			if out.Len() > 0 {
				t.Errorf("standard output: %q", out.String())
			}
			s := errOut.String()
			if got := strings.Contains(s, "files loaded"); got != tc.line {
				t.Errorf("progress line drawn: %v, want %v: %q", got, tc.line, s)
			}
			if got := strings.Contains(s, "cluster-1: "); got != tc.summary {
				t.Errorf("summary printed: %v, want %v: %q", got, tc.summary, s)
			}
			if i, j := strings.LastIndex(s, "\x1b[K"), strings.Index(s, "cluster-1: "); tc.line && j < i {
				t.Errorf("summary before the line was erased: %q", s)
			}
		})
	}
}
