package diag

import (
	"regexp"
	"testing"
)

func TestCatalogueWellFormed(t *testing.T) {
	entries, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	code := regexp.MustCompile(`^MR[1-4]\d{3}$`)
	name := regexp.MustCompile(`^[A-Z][A-Za-z]+$`)
	seenCode, seenName := map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		if !code.MatchString(e.Code) || !name.MatchString(e.Name) || e.Summary == "" {
			t.Errorf("malformed entry %+v", e)
		}
		if seenCode[e.Code] || seenName[e.Name] {
			t.Errorf("%s %s listed twice", e.Code, e.Name)
		}
		seenCode[e.Code], seenName[e.Name] = true, true
	}
}

func TestNewTakesSeverityFromCatalogue(t *testing.T) {
	for _, tc := range []struct {
		code string
		want Severity
	}{{"MR1001", Error}, {"MR1004", Info}, {"MR1005", Warning}} {
		if got := New(tc.code, Position{}, "x").Severity; got != tc.want {
			t.Errorf("%s: severity %v, want %v", tc.code, got, tc.want)
		}
	}
}

func TestSortOrdersByFileLineColumn(t *testing.T) {
	ds := []Diagnostic{
		{Code: "MR1", Pos: Position{File: "b.yaml", Line: 1}},
		{Code: "MR2", Pos: Position{File: "a.yaml", Line: 9, Col: 2}},
		{Code: "MR3", Pos: Position{File: "a.yaml", Line: 9, Col: 1}},
	}
	Sort(ds)
	if ds[0].Code != "MR3" || ds[1].Code != "MR2" || ds[2].Code != "MR1" {
		t.Errorf("unexpected order %v", ds)
	}
}

func TestSplitKeepsOrder(t *testing.T) {
	ds := []Diagnostic{{Code: "a", Severity: Info}, {Code: "b", Severity: Error}, {Code: "c", Severity: Warning}, {Code: "d", Severity: Info}}
	codes := func(ds []Diagnostic) (s string) {
		for _, d := range ds {
			s += d.Code
		}
		return s
	}
	for _, tc := range []struct {
		min               Severity
		atLeast, belowMin string
	}{{Info, "abcd", ""}, {Warning, "bc", "ad"}, {Error, "b", "acd"}} {
		atLeast, below := Split(ds, tc.min)
		if codes(atLeast) != tc.atLeast || codes(below) != tc.belowMin {
			t.Errorf("Split(%v) = %q, %q; want %q, %q", tc.min, codes(atLeast), codes(below), tc.atLeast, tc.belowMin)
		}
	}
}

func TestObjectRefString(t *testing.T) {
	for _, tc := range []struct {
		ref  ObjectRef
		want string
	}{
		{ObjectRef{Kind: "RouteTable", Namespace: "global", Name: "r"}, "RouteTable global/r"},
		{ObjectRef{Kind: "Cluster", Name: "c1"}, "Cluster c1"},
		{ObjectRef{Kind: "Kustomization", Namespace: "default"}, "Kustomization"},
		{ObjectRef{}, ""},
	} {
		if got := tc.ref.String(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.ref, got, tc.want)
		}
	}
}
