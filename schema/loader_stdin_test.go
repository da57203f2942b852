package schema

import (
	"errors"
	"strings"
	"testing"
)

// Standard input can be read once: naming it twice (-f - -f -, or -f - with --services C=-) is a
// usage error (exit 2), not a silently empty second input.
func TestStdinNamedTwice(t *testing.T) {
	const doc = "apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c1}\n"
	for _, tc := range []struct {
		name    string
		inputs  []Input
		wantErr bool
	}{
		{"once", []Input{{Path: StdinPath}}, false},
		{"-f - twice", []Input{{Path: StdinPath}, {Path: StdinPath}}, true},
		{"-f - and --services c1=-", []Input{{Path: StdinPath}, {Path: StdinPath, ServicesCluster: "c1"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := (&Loader{Stdin: strings.NewReader(doc)}).Load(tc.inputs)
			var ue *UsageError
			if !tc.wantErr {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), "only once") {
				t.Fatalf("want a UsageError saying stdin is read only once, got %v", err)
			}
		})
	}
}
