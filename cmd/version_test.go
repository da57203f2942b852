package cmd

import (
	"bytes"
	"runtime/debug"
	"testing"
)

func TestCompleteBuild(t *testing.T) {
	unstamped := buildInfo{Version: "dev", GoVersion: "go1.26.0", Platform: "linux/amd64"}
	stamped := buildInfo{Version: "v1.2.3", Commit: "abc", Date: "2026-01-02T03:04:05Z", GoVersion: "go1.26.0", Platform: "linux/amd64"}
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "def"}, {Key: "vcs.time", Value: "2026-02-03T04:05:06Z"}, {Key: "vcs.modified", Value: "false"}}
	for _, tc := range []struct {
		name string
		b    buildInfo
		info *debug.BuildInfo
		want buildInfo
	}{
		{"no build info", unstamped, nil, unstamped},
		{"go install …@v0.2.0", unstamped, &debug.BuildInfo{Main: debug.Module{Version: "v0.2.0"}},
			buildInfo{Version: "v0.2.0", GoVersion: "go1.26.0", Platform: "linux/amd64"}},
		{"go build in a checkout", unstamped, &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			buildInfo{Version: "dev", Commit: "def", Date: "2026-02-03T04:05:06Z", GoVersion: "go1.26.0", Platform: "linux/amd64"}},
		{"stamped values win", stamped, &debug.BuildInfo{Main: debug.Module{Version: "v0.2.0"}, Settings: vcs}, stamped},
	} {
		if got := completeBuild(tc.b, tc.info); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestBuildInfoText(t *testing.T) {
	for _, tc := range []struct {
		b    buildInfo
		want string
	}{
		{buildInfo{Version: "dev", GoVersion: "go1.26.0", Platform: "linux/amd64"}, "meshroute dev (go1.26.0, linux/amd64)\n"},
		{buildInfo{Version: "v1.2.3", Commit: "abc", Date: "2026-01-02T03:04:05Z", GoVersion: "go1.26.0", Platform: "darwin/arm64"},
			"meshroute v1.2.3 (commit abc, 2026-01-02T03:04:05Z, go1.26.0, darwin/arm64)\n"},
	} {
		var out bytes.Buffer
		if err := tc.b.writeText(&out); err != nil || out.String() != tc.want {
			t.Errorf("writeText(%+v) = %q, %v; want %q", tc.b, out.String(), err, tc.want)
		}
	}
}
