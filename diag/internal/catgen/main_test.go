package main

import (
	"bytes"
	"os"
	"testing"
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
