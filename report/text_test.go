package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/diag"
)

// A message that already names its object is not followed by the same "(Kind ns/name)" again;
// one that names another object, or a longer name starting alike, still gets the suffix.
func TestTextDoesNotRepeatObject(t *testing.T) {
	vd := diag.ObjectRef{Kind: "VirtualDestination", Namespace: "global", Name: "reviews"}
	for _, tc := range []struct {
		msg        string
		wantSuffix bool
	}{
		{"VirtualDestination global/reviews selects no Service in any cluster", false},
		{"no Service backs VirtualDestination global/reviews.", false},
		{"VirtualDestination global/reviews-v2 shares the host", true},
		{"VirtualDestination global/reviews.v2 shares the host", true},
		{"host reviews.global is used twice", true},
	} {
		var b bytes.Buffer
		d := diag.New("MR2011", diag.Position{File: "vd.yaml", Line: 3, Col: 1}, "%s", tc.msg).WithObject(vd, "/spec")
		if err := Text(&b, []diag.Diagnostic{d}, false); err != nil {
			t.Fatal(err)
		}
		line, _, _ := strings.Cut(b.String(), "\n")
		if got := strings.HasSuffix(line, " (VirtualDestination global/reviews)"); got != tc.wantSuffix {
			t.Errorf("%q: suffix %v, want %v: %s", tc.msg, got, tc.wantSuffix, line)
		}
	}
}
