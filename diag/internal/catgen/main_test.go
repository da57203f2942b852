package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/meshroute/meshroute/diag"
)

// TestGeneratedUpToDate fails when diag/codes_gen.go no longer matches the catalogue; run
// go generate ./diag to refresh it.
func TestGeneratedUpToDate(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../codes_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("diag/codes_gen.go is out of date with diag/catalogue.yaml: run go generate ./diag")
	}
}

// TestEveryCodeHasTemplate keeps the generated constructors complete: a code without a message
// template would have to be built from its code string.
func TestEveryCodeHasTemplate(t *testing.T) {
	entries, err := diag.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Message == "" && !e.Retired {
			t.Errorf("%s %s has no message template", e.Code, e.Name)
		}
	}
}

// TestNoCodeStrings keeps the catalogue and codes_gen.go the only places a code is spelt out in
// the module's Go code (tests aside): every diagnostic comes from a generated constructor and
// every comparison uses a generated constant.
func TestNoCodeStrings(t *testing.T) {
	code := regexp.MustCompile(`"MR[0-9]{4}"`)
	root := "../../.."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "conformance") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || d.Name() == "codes_gen.go" {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range code.FindAll(src, -1) {
			t.Errorf("%s spells out the code %s: use the generated constructor or constant", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestConstructorRejectsBadTemplates(t *testing.T) {
	tests := []struct {
		name string
		t    diag.Template
		want string
	}{
		{"undeclared argument", diag.Template{Name: "X", Message: "host {host}"}, "undeclared arguments host"},
		{"unused argument", diag.Template{Name: "X", Message: "host", Args: []diag.Arg{{Name: "host", Type: "string"}}}, "host is not used"},
		{"argument twice", diag.Template{Name: "X", Message: "{a}", Args: []diag.Arg{{Name: "a", Type: "int"}, {Name: "a", Type: "int"}}}, "declared twice"},
		{"argument named pos", diag.Template{Name: "X", Message: "{pos}", Args: []diag.Arg{{Name: "pos", Type: "int"}}}, "declared twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := constructor(diag.Entry{Code: "MR9999"}, tt.t)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestConstructorFormatsArguments(t *testing.T) {
	fn, err := constructor(diag.Entry{Code: "MR9999", Summary: "A\n  summary."}, diag.Template{
		Name: "Thing", Message: "100% of {host} on {port} by {table} for {path}",
		Args: []diag.Arg{{Name: "host", Type: "string", Verb: "%q"}, {Name: "port", Type: "uint32"}, {Name: "table", Type: "ObjectRef"}, {Name: "path", Type: "string"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"// Thing builds MR9999 (info): A summary.",
		"func Thing(pos Position, host string, port uint32, table ObjectRef, path string) Diagnostic {",
		`fmt.Sprintf("100%% of %q on %d by %v for %s", host, port, table, path)`,
	} {
		if !strings.Contains(fn, want) {
			t.Errorf("generated\n%s\nlacks %q", fn, want)
		}
	}
}
