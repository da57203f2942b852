package cmd

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFindConfig: meshroute.yaml is looked for upward from the working folder, and never above
// the repository root (the folder holding .git).
func TestFindConfig(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"outer/repo/.git", "outer/repo/a/b", "outer/repo/sub/.git", "outer/repo/sub/c"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"outer/meshroute.yaml", "outer/repo/meshroute.yaml"} {
		if err := os.WriteFile(filepath.Join(root, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ dir, want string }{
		{"outer/repo", "outer/repo/meshroute.yaml"},
		{"outer/repo/a/b", "outer/repo/meshroute.yaml"},
		{"outer/repo/sub/c", ""}, // a nested repository stops the search
		{"outer", "outer/meshroute.yaml"},
	} {
		want := tc.want
		if want != "" {
			want = filepath.Join(root, want)
		}
		if got := findConfig(filepath.Join(root, tc.dir)); got != want {
			t.Errorf("findConfig(%s) = %q, want %q", tc.dir, got, want)
		}
	}
}

func TestConfigBase(t *testing.T) {
	for _, tc := range []struct{ workDir, file, want string }{
		{"/repo", "/repo/meshroute.yaml", "."},
		{"/repo/a/b", "/repo/meshroute.yaml", filepath.Join("..", "..")},
		{"/repo", "conf/meshroute.yaml", "conf"}, // --config with a relative path
	} {
		if got := configBase(filepath.FromSlash(tc.workDir), filepath.FromSlash(tc.file)); got != tc.want {
			t.Errorf("configBase(%s, %s) = %q, want %q", tc.workDir, tc.file, got, tc.want)
		}
	}
}
