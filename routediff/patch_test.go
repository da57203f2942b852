package routediff

import (
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	ten := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"
	tests := []struct {
		name, a, b, want string
	}{
		{name: "equal", a: ten, b: ten, want: ""},
		{name: "new file", a: "", b: "x\ny\n", want: "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n"},
		{name: "removed file", a: "x\n", b: "", want: "--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n"},
		{name: "one change in the middle", a: ten, b: strings.Replace(ten, "5\n", "five\n", 1),
			want: "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"},
		{name: "changes close together share a hunk", a: ten, b: strings.Replace(strings.Replace(ten, "2\n", "two\n", 1), "8\n", "eight\n", 1),
			want: "--- a\n+++ b\n@@ -1,10 +1,10 @@\n 1\n-2\n+two\n 3\n 4\n 5\n 6\n 7\n-8\n+eight\n 9\n 10\n"},
		{name: "changes far apart get two hunks", a: ten + ten, b: "one\n" + ten[2:] + ten[:len(ten)-3] + "ten\n",
			want: "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -17,4 +17,4 @@\n 7\n 8\n 9\n-10\n+ten\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Unified("a", "b", tc.a, tc.b); got != tc.want {
				t.Errorf("Unified:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestPatch(t *testing.T) {
	old := map[string][]byte{"c1/same.yaml": []byte("x\n"), "c1/gone.yaml": []byte("g\n"), "c1/vs.yaml": []byte("a\n")}
	new := map[string][]byte{"c1/same.yaml": []byte("x\n"), "c1/vs.yaml": []byte("b\n"), "c2/new.yaml": []byte("n\n")}
	var b strings.Builder
	if err := Patch(&b, old, new); err != nil {
		t.Fatal(err)
	}
	want := "--- a/c1/gone.yaml\n+++ /dev/null\n@@ -1 +0,0 @@\n-g\n" +
		"--- a/c1/vs.yaml\n+++ b/c1/vs.yaml\n@@ -1 +1 @@\n-a\n+b\n" +
		"--- /dev/null\n+++ b/c2/new.yaml\n@@ -0,0 +1 @@\n+n\n"
	if b.String() != want {
		t.Errorf("Patch:\n%s\nwant:\n%s", b.String(), want)
	}
}
